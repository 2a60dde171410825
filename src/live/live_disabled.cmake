# A build without the Graph client: the live client's API answering
# TISO_E_UNSUPPORTED. Included by src/CMakeLists.txt.
foreach(_tiso_t ${TISO_SOURCE_TARGETS})
  target_sources(${_tiso_t} PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/live_common.c
    ${CMAKE_CURRENT_LIST_DIR}/live_disabled.c)
endforeach()
