#include <ui/app/uiresources.h>

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initIconResources() { Q_INIT_RESOURCE(icons); }

namespace fb::ui {

void initResources()
{
    static bool done = false;
    if (!done) {
        done = true;
        initIconResources();
    }
}

} // namespace fb::ui
