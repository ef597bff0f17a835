#include "gui/memory_policy.h"

#include <cstdlib>  // defines __GLIBC__ (through features.h) for the test below

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace quarry::gui {

bool returnLargeBuffersPromptly() {
#if defined(__GLIBC__)
  // 1 MiB: thumbnails (at most 256 px) and list pages stay in the heap; decoded images, pixmaps
  // and their conversions are mapped. Setting it also turns glibc's dynamic threshold off.
  return mallopt(M_MMAP_THRESHOLD, 1 << 20) == 1;
#else
  return false;
#endif
}

}  // namespace quarry::gui
