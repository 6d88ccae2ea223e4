#pragma once

namespace fb::ui {

/// Registers the icon resources compiled into the static fb_ui library (":/icons/...").
/// Call once after constructing the QApplication; further calls do nothing.
void initResources();

} // namespace fb::ui
