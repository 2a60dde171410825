# tiso_fuzz_lib: the library's own sources again (those of
# tenantiso_internal, whatever they are today), compiled with libFuzzer's
# coverage instrumentation and the sanitizers. Linking the fuzzers against
# the plain tenantiso_internal would leave libFuzzer blind inside the
# library, which is where the parsers are. Included by CMakeLists.txt when
# TENANTISO_BUILD_FUZZ is ON and the compiler is clang.
#
# Undefined behaviour aborts (no recovery), so it counts as a finding.
set(_san address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
set(TISO_FUZZ_FLAGS -fsanitize=fuzzer,${_san})
set(TISO_FUZZ_LINK_FLAGS -fsanitize=fuzzer,address,undefined)

# run.sh instruments the whole build already: use the library as it is.
if(CMAKE_C_FLAGS MATCHES "fuzzer-no-link")
  add_library(tiso_fuzz_lib INTERFACE)
  target_link_libraries(tiso_fuzz_lib INTERFACE tenantiso_internal)
  return()
endif()

get_target_property(_dir tenantiso_internal SOURCE_DIR)
set(_abs)
foreach(_src IN LISTS _tiso_lib_sources)
  if(IS_ABSOLUTE ${_src})
    list(APPEND _abs ${_src})
  else()
    list(APPEND _abs ${_dir}/${_src})
  endif()
endforeach()

add_library(tiso_fuzz_lib STATIC ${_abs})
foreach(_prop INCLUDE_DIRECTORIES COMPILE_DEFINITIONS LINK_LIBRARIES
              INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_DEFINITIONS INTERFACE_LINK_LIBRARIES)
  get_target_property(_value tenantiso_internal ${_prop})
  if(_value)
    set_property(TARGET tiso_fuzz_lib PROPERTY ${_prop} "${_value}")
  endif()
endforeach()
target_compile_options(tiso_fuzz_lib PRIVATE -fsanitize=fuzzer-no-link,${_san})
