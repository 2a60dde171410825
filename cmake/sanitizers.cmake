# TENANTISO_SANITIZE=address,undefined or thread: applied to every target.
if(TENANTISO_SANITIZE)
  set(_san_flags -fsanitize=${TENANTISO_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_compile_options(${_san_flags})
  add_link_options(${_san_flags})
endif()
