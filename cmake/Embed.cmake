# gridcase_embed(OUTPUT header NAMESPACE ns FILES f1 f2 ...)
# Generates a header with one `inline constexpr std::string_view <stem>` per file and a
# `kAll` array of {name, text} in file order, so the binary carries its SQL and demo data.
function(gridcase_embed)
  cmake_parse_arguments(ARG "" "OUTPUT;NAMESPACE" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${ARG_OUTPUT} -DNAMESPACE=${ARG_NAMESPACE}
            "-DFILES=${ARG_FILES}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    DEPENDS ${ARG_FILES} ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    COMMENT "Embedding ${ARG_NAMESPACE}"
    VERBATIM)
  # gridcase_generated makes every generated header alone (not built by `all`): scripts/lint.sh
  # tidy needs the headers to parse the sources, not the libraries.
  if(NOT TARGET gridcase_generated)
    add_custom_target(gridcase_generated)
  endif()
  get_filename_component(_name ${ARG_OUTPUT} NAME_WE)
  add_custom_target(gridcase_generate_${_name} DEPENDS ${ARG_OUTPUT})
  add_dependencies(gridcase_generated gridcase_generate_${_name})
endfunction()
