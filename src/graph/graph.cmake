# The Microsoft Graph client (TENANTISO_WITH_GRAPH=ON), included by
# src/CMakeLists.txt. Its sources go into the library's objects (the shared
# library, the CLI's archive) and the internal archive used by tests and fuzz
# targets.
set(TISO_GRAPH_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/graph_batch.c
  ${CMAKE_CURRENT_LIST_DIR}/graph_cache.c
  ${CMAKE_CURRENT_LIST_DIR}/graph_client.c
  ${CMAKE_CURRENT_LIST_DIR}/graph_clock.c
  ${CMAKE_CURRENT_LIST_DIR}/graph_common.c
  ${CMAKE_CURRENT_LIST_DIR}/graph_http.c
  ${CMAKE_CURRENT_LIST_DIR}/graph_lookup.c
  ${CMAKE_CURRENT_LIST_DIR}/graph_parse.c
  ${CMAKE_CURRENT_LIST_DIR}/graph_pool.c
  ${CMAKE_CURRENT_LIST_DIR}/graph_resolver.c
  ${CMAKE_CURRENT_LIST_DIR}/graph_token.c)

foreach(_tiso_t ${TISO_SOURCE_TARGETS})
  target_sources(${_tiso_t} PRIVATE ${TISO_GRAPH_SOURCES})
endforeach()
foreach(_tiso_t ${TISO_LINKED_TARGETS})
  target_link_libraries(${_tiso_t} PRIVATE CURL::libcurl Threads::Threads)
endforeach()
