# Strict warnings for the project's own code, as an interface target.
add_library(tiso_warnings INTERFACE)
target_compile_options(tiso_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wstrict-prototypes
  -Wmissing-prototypes -Wformat=2 -Wundef -Wcast-qual -Wpointer-arith -Wvla
  -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough
  # Messages are cut to fit their fixed buffers on purpose.
  $<$<C_COMPILER_ID:GNU>:-Wno-format-truncation>
  $<$<BOOL:${TENANTISO_WERROR}>:-Werror>)
