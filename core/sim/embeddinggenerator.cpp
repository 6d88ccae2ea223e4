#include <core/sim/embeddinggenerator.h>

#include <core/sim/simrandom.h>

#include <cassert>
#include <cmath>

namespace fb {

std::vector<float> EmbeddingGenerator::embed(std::string_view text, int dimensions)
{
    assert(dimensions >= 1 && dimensions <= MaxDimensions);
    SimRandom random(SimRandom::hash(text, 0x656d626564ULL));
    std::vector<double> values(static_cast<std::size_t>(dimensions));
    double norm = 0.0;
    for (auto &v : values) {
        v = random.nextNormal();
        norm += v * v;
    }
    norm = std::sqrt(norm);
    if (norm == 0.0) {
        values[0] = 1.0;
        norm = 1.0;
    }
    std::vector<float> out(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        out[i] = static_cast<float>(values[i] / norm);
    }
    return out;
}

} // namespace fb
