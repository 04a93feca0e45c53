// A linear-time regular-expression engine over UTF-8 code points (Thompson NFA run as a Pike VM).
//
// Why its own engine: std::regex backtracks, so a policy author's `(a+)+$` could hang an evaluation,
// and it works on bytes, so `[一-龥]` would not mean a range of Chinese characters. This engine never
// backtracks: matching costs O(text length × pattern states), and patterns are capped in size.
//
// Syntax (a subset of RE2, which is what CEL's matches() uses; only match or no match is reported):
//
//   x            a literal code point: any character except the special ones \ . ^ $ | ( ) [ * + ? {
//   .            any code point except newline (\n)
//   ^  $         beginning and end of the text (no multi-line mode: $ does not match before a final \n)
//   \A  \z       beginning and end of the text, as ^ and $
//   \b  \B       an ASCII word boundary ([0-9A-Za-z_] on one side only), and its opposite
//   xy           concatenation
//   x|y          alternation (either may be empty: `a|` matches "a" or "")
//   (x)          grouping; captures are not reported, so (?:x), (?P<name>x) and (?<name>x) are the same
//   x*  x+  x?   zero or more, one or more, zero or one
//   x{n}  x{n,}  x{n,m}
//                counted repetition, with n, m ≤ 1000 and n ≤ m; a `{` that does not start one of
//                these forms is a literal, as in RE2 (so `a{`, `a{,3}` and `{` match literally)
//   x*? x+? x?? x{n,m}?
//                lazy forms, accepted and treated as greedy: only whether a match exists matters
//   [abc]  [a-z]  [^...]
//                character classes; ranges are of code points (`[一-龥]`, `[\x{4E00}-\x{9FFF}]`);
//                `]` first in the class and `-` first or last are literals; a class may hold
//                \d \D \w \W \s \S \p{Han} \P{Han} and the ASCII POSIX forms [:alpha:] [:digit:]
//                [:alnum:] [:upper:] [:lower:] [:space:] [:punct:] [:xdigit:] [:word:], each also
//                negated as [:^alpha:]
//   \d \D        ASCII digit 0-9 and its complement (as RE2: full-width digits are not \d)
//   \w \W        ASCII word character [0-9A-Za-z_] and its complement
//   \s \S        ASCII space [\t\n\f\r ] and its complement
//   \p{Han} \P{Han}
//                a character of the Unicode script Han (see is_han in text.hpp), and its complement;
//                no other Unicode property is supported
//   \n \t \r \f \v \a
//                newline, tab, carriage return, form feed, vertical tab, bell
//   \xHH  \x{H..}  \uHHHH
//                the code point with that hexadecimal value (at most U+10FFFF)
//   \. \\ \( \[ \* ... a backslash before any ASCII punctuation makes it a literal
//
// Not supported, each a compile error: backreferences (\1), flags such as (?i), look-around
// ((?=, (?!, (?<=), \Q...\E, Unicode properties other than Han, other letter escapes.
//
// Limits: groups nest at most 50 deep; a compiled pattern has at most 10,000 NFA states (counted
// after expanding repetitions, so `(a{100}){100}` is too large); repetition counts at most 1000.
// The pattern must be valid UTF-8. In the text, every malformed UTF-8 byte reads as U+FFFD.
//
// Speed: policies run one pattern over many short texts, so search() avoids the Pike VM where it can,
// in three steps that each keep the cost linear in the text. (1) compile() derives from the syntax
// tree a literal that every match must contain (for `\p{Han}+〔\d{4}〕\d+号`, "〔"); a text without it
// fails at the cost of a substring search, and a pattern that is nothing but a literal is answered by
// that search alone. (2) compile() also builds a DFA by the subset construction when the pattern has
// no \b or \B and the automaton stays within fixed limits (states, table size, construction work);
// a search then costs one table step per code point. (3) Otherwise the Pike VM runs, on scratch
// space kept per thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace zhiping::domain {

// Why a pattern does not compile, and where: `offset` is the byte offset in the pattern of the
// construct at fault (for a missing `)`, the `(` it would close).
struct RegexError {
    std::string message;
    std::size_t offset;
};

// A compiled pattern. It is immutable after compile(), so one Regex may be shared by any number of
// threads: the Pike VM's scratch space is per thread, and the DFA is read-only. Copies are cheap and
// share the compiled program.
class Regex {
public:
    // The largest number of NFA states (program instructions) a compiled pattern may have.
    static constexpr std::size_t kMaxStates = 10000;
    // The largest count allowed in {n}, {n,} and {n,m}.
    static constexpr int kMaxRepeat = 1000;
    // The deepest nesting of groups the parser accepts. It bounds the parser's recursion (about 2 KB
    // of stack per level), so that no pattern can overflow the small stacks of WebAssembly builds.
    static constexpr int kMaxNesting = 50;

    static std::variant<Regex, RegexError> compile(std::string_view pattern);

    // True when the pattern matches somewhere in the text (RE2's PartialMatch, CEL's matches()).
    bool search(std::string_view text) const;

    // True when the pattern matches the whole text. It always runs the Pike VM: policies call search.
    bool full_match(std::string_view text) const;

    // The same answer as search(), found by the Pike VM alone, without the required-literal prefilter
    // or the DFA. It is the reference that tests compare search() with.
    bool search_by_pike_vm(std::string_view text) const;

    // The byte string that every match contains and that search() looks for before anything else;
    // empty when the pattern has none that is certain (alternations, optional parts and classes give
    // none). Exposed for tests.
    const std::string& required_literal() const;

    // True when search() runs a DFA rather than the Pike VM. Exposed for tests and benchmarks.
    bool has_dfa() const;

    // True when search() looks for one code point of the pattern and checks the parts before and
    // after it from there (a pattern that is a sequence around a literal code point, with no
    // assertion). Exposed for tests.
    bool has_inner_literal() const;

    // The pattern as written.
    const std::string& pattern() const;

    // The number of NFA states of the compiled program, including the final match state.
    std::size_t state_count() const;

private:
    struct Program;
    explicit Regex(std::shared_ptr<const Program> program);
    bool run(std::string_view text, bool whole_text) const;

    std::shared_ptr<const Program> program_;
};

}  // namespace zhiping::domain
