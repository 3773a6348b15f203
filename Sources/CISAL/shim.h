#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>

// The level buffer sizes are macro expressions that Swift cannot import; expose the header's
// recommended (DEFAULT) size per compression level, so the buffer (and with it the output)
// matches what the library documents.
static inline uint32_t smimg_isal_level_buf_size(int level) {
    switch (level) {
    case 0: return ISAL_DEF_LVL0_DEFAULT;
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    case 3: return ISAL_DEF_LVL3_DEFAULT;
    default: return 0;
    }
}
