# Small helpers so every target of a kind is declared the same way.

# Common warning and sanitizer flags for a target of ours.
function(fb_target_defaults target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
    if(FB_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    if(FB_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()

# fb_add_core_library(name SOURCES ... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...])
# A static library inside core/: plain C++20, includes rooted at the repository root, no Qt.
function(fb_add_core_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
    add_library(${name} STATIC ${ARG_SOURCES})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS})
    set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    fb_target_defaults(${name})
endfunction()

# fb_add_test(name SOURCES ... [LIBS ...] [LABELS ...] [ARGS ...] [TIMEOUT s])
# One QtTest executable registered with ctest. Names of GUI tests contain "ui";
# tests slower than ~30 s carry the label "slow".
function(fb_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS;ARGS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    set_target_properties(${name} PROPERTIES AUTOMOC ON)
    target_link_libraries(${name} PRIVATE Qt6::Core Qt6::Test ${ARG_LIBS})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
    target_compile_definitions(${name} PRIVATE
        FB_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        FB_BINARY_DIR="${PROJECT_BINARY_DIR}")
    # Tests that start our executables find them through these paths (and depend on them).
    foreach(tool flowbench-sim flowbench-cli)
        if(TARGET ${tool})
            string(TOUPPER ${tool} def)
            string(REPLACE "-" "_" def ${def})
            target_compile_definitions(${name} PRIVATE ${def}_EXECUTABLE="$<TARGET_FILE:${tool}>")
            add_dependencies(${name} ${tool})
        endif()
    endforeach()
    fb_target_defaults(${name})
    add_test(NAME ${name} COMMAND ${name} ${ARG_ARGS})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT})
    if(ARG_LABELS)
        set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
    endif()
endfunction()
