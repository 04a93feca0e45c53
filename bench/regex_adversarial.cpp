// Benchmark: patterns that make backtracking engines take exponential time must run in linear time here.
//
// Build and run from the repository root:
//   g++ -std=c++17 -O2 -I. bench/regex_adversarial.cpp stdlib/domain/*.cpp -o /tmp/bench && /tmp/bench
// It exits with status 1 if any case gives the wrong answer or takes longer than its budget, so it can
// guard a CI step. Timing belongs here and not in the unit tests, which must not depend on the speed
// of the machine.
#include <chrono>
#include <cstdio>
#include <string>
#include <variant>

#include "stdlib/domain/regex.hpp"

namespace {

struct Case {
    const char* name;
    const char* pattern;
    std::string text;
    bool expected;
};

}  // namespace

int main() {
    using zhiping::domain::Regex;
    using zhiping::domain::RegexError;
    const std::string many_a(10000, 'a');
    std::string many_han;
    for (int i = 0; i < 100000; ++i) many_han += "汉";
    std::string many_brackets;
    for (int i = 0; i < 100000; ++i) many_brackets += "〔";
    const Case cases[] = {
        {"(a+)+$ on 10,000 a then b", "(a+)+$", many_a + "b", false},
        {"(a|a)*$ on 10,000 a then b", "^(a|a)*$", many_a + "b", false},
        {"(a*)*b on 10,000 a", "(a*)*b", many_a, false},
        {"(x+x+)+y on 10,000 x", "(x+x+)+y", std::string(10000, 'x'), false},
        {"a{0,1000}a{1000} on 1,000 a", "^a{0,1000}a{1000}$", std::string(1000, 'a'), true},
        {"[\\p{Han}a]+z on 100,000 Han", "[\\p{Han}a]+z", many_han, false},
        // The worst case for a Pike VM: about 2,000 states are live at every step.
        {"\\p{Han}{0,1000}z on 10,000 Han", "\\p{Han}{0,1000}z", many_han.substr(0, 30000), false},
        // Cut at 〔 (the inner literal), every 〔 would check the whole text before or after it again.
        {"x[^y]*〔 on 100,000 〔", "x[^y]*〔", many_brackets, false},
        {"〔[^y]*x on 100,000 〔", "〔[^y]*x", many_brackets, false},
    };
    const double budget_seconds = 0.5;
    int failures = 0;
    for (const Case& c : cases) {
        auto compiled = Regex::compile(c.pattern);
        if (auto* error = std::get_if<RegexError>(&compiled)) {
            std::printf("FAIL %s: does not compile: %s at %zu\n", c.name, error->message.c_str(),
                        error->offset);
            ++failures;
            continue;
        }
        const Regex& regex = std::get<Regex>(compiled);
        // search() may answer from the required-literal prefilter or the DFA; search_by_pike_vm()
        // times the NFA simulation itself, which must stay linear on its own.
        for (int engine = 0; engine < 2; ++engine) {
            const auto start = std::chrono::steady_clock::now();
            const bool matched = engine == 0 ? regex.search(c.text) : regex.search_by_pike_vm(c.text);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const bool ok = matched == c.expected && seconds < budget_seconds;
            std::printf("%s %-55s %-10s %8.4f s (%zu states%s)\n", ok ? "ok  " : "FAIL", c.name,
                        engine == 0 ? "search" : "pike-vm", seconds, regex.state_count(),
                        engine == 0 && regex.has_dfa() ? ", DFA" : "");
            if (!ok) ++failures;
        }
    }
    return failures == 0 ? 0 : 1;
}
