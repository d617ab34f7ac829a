# SPDX-License-Identifier: GPL-2.0
#
# damo_layer(TARGET [DIRS dir...] [FILES file...] SEES path...) - a static
# library of every .c file below DIRS and of FILES (paths relative to the
# source tree), compiled with one include root of its own:
# ${CMAKE_BINARY_DIR}/layers/TARGET, which holds a symbolic link for each
# path in SEES (a directory or a header, relative to the source tree) and
# nothing else.  Headers are included by their path from the top
# ("core/out.h"); a file that includes a header of a layer it may not see
# fails to compile with "No such file or directory".  A quoted include is
# looked up beside the including file first, which never holds another
# layer's directory, so it cannot be used to get around this.
#
# damo_layer_probe(NAME LAYER HEADER) - a target outside "all" that compiles
# one file including HEADER with LAYER's include root: the layering test
# builds it and checks whether it compiles.

function(damo_layer_root target out)
  set(${out} ${CMAKE_BINARY_DIR}/layers/${target} PARENT_SCOPE)
endfunction()

function(damo_layer target)
  cmake_parse_arguments(L "" "" "DIRS;FILES;SEES" ${ARGN})
  set(srcs "")
  foreach(f ${L_FILES})
    list(APPEND srcs ${PROJECT_SOURCE_DIR}/${f})
  endforeach()
  foreach(d ${L_DIRS})
    file(GLOB_RECURSE s CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${d}/*.c)
    list(APPEND srcs ${s})
  endforeach()
  damo_layer_root(${target} root)
  file(REMOVE_RECURSE ${root})
  foreach(p ${L_SEES})
    get_filename_component(parent ${root}/${p} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${p} ${root}/${p} SYMBOLIC)
  endforeach()
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} PRIVATE ${root})
endfunction()

function(damo_layer_probe name layer header)
  damo_layer_root(${layer} root)
  set(src ${CMAKE_BINARY_DIR}/layers/probe-${name}.c)
  file(WRITE ${src} "#include \"${header}\"\nint damo_layer_probe_${name}(void);\nint damo_layer_probe_${name}(void) { return 0; }\n")
  add_library(${name} OBJECT EXCLUDE_FROM_ALL ${src})
  # Only the layer's root, whatever the calling directory adds.
  set_property(TARGET ${name} PROPERTY INCLUDE_DIRECTORIES ${root})
  get_target_property(libs ${layer} LINK_LIBRARIES)
  foreach(l ${libs})
    if(l MATCHES "^PkgConfig::")
      target_link_libraries(${name} PRIVATE ${l})
    endif()
  endforeach()
endfunction()
