// How the window's process gives memory back. A 1920x1080 image decoded for the canvas is an
// 8 MB buffer, and the canvas, its cache and the prefetch threads make and free several per image
// switch. glibc's default lets such a buffer's size raise the threshold above which memory is
// mapped (and unmapped at free) instead of kept in the heap, so after a few frees every image
// comes from a heap arena that keeps its freed pages: resident memory then depends on the order
// of past frees (the GUI benchmark saw 203 to 261 MB for the same session). Fixing the threshold
// returns each large buffer to the system when it is freed, for a few milliseconds of page faults
// per image switch (docs/results-2026-12-02.md, "night").
#pragma once

namespace quarry::gui {

// Call once, at the start of the process, before any image is decoded. Without glibc, does nothing.
// Returns whether the policy was applied.
bool returnLargeBuffersPromptly();

}  // namespace quarry::gui
