# cmake -DINPUT=pricing.json -DOUTPUT=builtinpricing.cpp -P embedpricing.cmake
# Writes a C++ source holding INPUT as a raw string literal.
file(READ "${INPUT}" content)
string(FIND "${content}" ")fbpricing\"" clash)
if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )fbpricing\"")
endif()
file(WRITE "${OUTPUT}.tmp"
    "// Generated from resources/pricing.json by core/cost/embedpricing.cmake. Do not edit.\n"
    "#include <core/cost/builtinpricing_p.h>\n\n"
    "namespace fb::detail {\n\n"
    "std::string_view builtinPricingJson()\n{\n"
    "    static constexpr char text[] = R\"fbpricing(${content})fbpricing\";\n"
    "    return {text, sizeof text - 1};\n}\n\n"
    "} // namespace fb::detail\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
