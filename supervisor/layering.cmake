# fibpool_layer(TARGET FOLDER [ALLOWED...]): TARGET holds the sources of
# supervisor/FOLDER (FOLDER "seam": supervisor/job_executor.h; "root": the
# sources at supervisor/ itself), which may include supervisor headers only
# of FOLDER and of the ALLOWED folders. A build step of TARGET checks its
# sources (layering_check.cmake) whenever one changes, and fails, naming the
# file and the include, on any other.
set(FIBPOOL_LAYERING_CHECK ${CMAKE_CURRENT_LIST_DIR}/layering_check.cmake)

function(fibpool_layer target folder)
  get_target_property(sources ${target} SOURCES)
  set(paths "")
  foreach(source IN LISTS sources)
    cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
    if(EXISTS ${source})  # not the generated ones
      list(APPEND paths ${source})
    endif()
  endforeach()
  # Lists travel to the script joined by '|': a ';' would split the argument.
  string(REPLACE ";" "|" joined_paths "${paths}")
  string(REPLACE ";" "|" joined_allowed "${ARGN}")
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${target}.layering)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DFOLDER=${folder} "-DALLOWED=${joined_allowed}"
            "-DSOURCES=${joined_paths}" -DSTAMP=${stamp} -P ${FIBPOOL_LAYERING_CHECK}
    DEPENDS ${paths} ${FIBPOOL_LAYERING_CHECK}
    COMMENT "Checking the includes of ${target} against the layering"
    VERBATIM)
  add_custom_target(${target}_layering DEPENDS ${stamp})
  add_dependencies(${target} ${target}_layering)
endfunction()
