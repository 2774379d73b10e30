// Stand-in for libFuzzer when the compiler is not clang: replays every file of the
// corpus directories given as arguments, then a fixed number of deterministic random
// mutations of them, through LLVMFuzzerTestOneInput. Under the sanitizers this still
// catches what the corpus reaches; clang builds use the real coverage-guided fuzzer.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    std::vector<std::string> inputs;
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path dir(argv[i]);
        if (!std::filesystem::is_directory(dir))
            continue;
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            std::ifstream in(e.path(), std::ios::binary);
            inputs.emplace_back(std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>());
        }
    }
    if (inputs.empty())
        inputs.emplace_back();
    for (const std::string& s : inputs)
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());

    std::mt19937_64 rng(42);
    for (int round = 0; round < 20000; ++round) {
        std::string s = inputs[rng() % inputs.size()];
        int edits = 1 + static_cast<int>(rng() % 8);
        for (int e = 0; e < edits; ++e) {
            switch (rng() % 4) {
            case 0:
                if (!s.empty())
                    s[rng() % s.size()] = static_cast<char>(rng());
                break;
            case 1:
                s.insert(s.begin() + static_cast<long>(s.empty() ? 0 : rng() % s.size()),
                         static_cast<char>(rng()));
                break;
            case 2:
                if (!s.empty())
                    s.erase(rng() % s.size(), 1 + rng() % 4);
                break;
            default:
                s += inputs[rng() % inputs.size()].substr(0, 16);
                break;
            }
        }
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    }
    std::printf("replayed %zu corpus inputs and 20000 mutations\n", inputs.size());
    return 0;
}
