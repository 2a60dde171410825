# The live-service client (SPEC 12), built with the Graph client, whose HTTP,
# token and retry machinery it shares. Included by src/CMakeLists.txt.
set(TISO_LIVE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/live_client.c
  ${CMAKE_CURRENT_LIST_DIR}/live_common.c
  ${CMAKE_CURRENT_LIST_DIR}/live_device.c
  ${CMAKE_CURRENT_LIST_DIR}/live_policy.c
  ${CMAKE_CURRENT_LIST_DIR}/live_report.c
  ${CMAKE_CURRENT_LIST_DIR}/live_url.c)
foreach(_tiso_t ${TISO_SOURCE_TARGETS})
  target_sources(${_tiso_t} PRIVATE ${TISO_LIVE_SOURCES})
endforeach()
