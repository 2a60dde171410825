# A build without the Graph client (TENANTISO_WITH_GRAPH=OFF): the same API,
# answering TISO_E_UNSUPPORTED, and no libcurl. Included by src/CMakeLists.txt.
foreach(_tiso_t ${TISO_SOURCE_TARGETS})
  target_sources(${_tiso_t} PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/graph_common.c
    ${CMAKE_CURRENT_LIST_DIR}/graph_disabled.c)
endforeach()
