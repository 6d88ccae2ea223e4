#pragma once

#include <QDialog>

namespace fb::ui {

/// The About box: version, what Flowbench is, and the licences of everything we ship.
class AboutDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    /// The licence table as HTML (name, licence), also used by tests.
    [[nodiscard]] static QString licencesHtml();
};

} // namespace fb::ui
