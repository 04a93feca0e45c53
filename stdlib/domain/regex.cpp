// The regex engine: a recursive-descent parser to a syntax tree, a Thompson compiler, a Pike VM, and
// the shortcuts of search(): the required literal read off the syntax tree, and a DFA built from the NFA.
#include "stdlib/domain/regex.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stdlib/domain/text.hpp"

namespace zhiping::domain {

namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;

// A set of code points as sorted, non-overlapping, non-adjacent closed ranges.
using CharSet = std::vector<CodePointRange>;

// Sorts and merges ranges so that membership is a binary search.
CharSet normalized(CharSet set) {
    std::sort(set.begin(), set.end(),
              [](const CodePointRange& a, const CodePointRange& b) { return a.first < b.first; });
    CharSet merged;
    for (const CodePointRange& r : set) {
        if (!merged.empty() && r.first <= merged.back().last + 1) {
            merged.back().last = std::max(merged.back().last, r.last);
        } else {
            merged.push_back(r);
        }
    }
    return merged;
}

CharSet complement(const CharSet& set) {
    CharSet out;
    char32_t next = 0;
    for (const CodePointRange& r : set) {
        if (r.first > next) out.push_back({next, r.first - 1});
        next = r.last + 1;
    }
    if (set.empty() || set.back().last < kMaxCodePoint) out.push_back({next, kMaxCodePoint});
    return out;
}

bool contains(const CharSet& set, char32_t c) {
    const auto it = std::upper_bound(set.begin(), set.end(), c,
                                     [](char32_t v, const CodePointRange& r) { return v < r.first; });
    return it != set.begin() && c <= std::prev(it)->last;
}

// The Han script, from the table that is_han uses.
const CharSet& han_ranges() { return han_script_ranges(); }

const CharSet kDigit = {{'0', '9'}};
const CharSet kWord = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
const CharSet kSpace = {{'\t', '\n'}, {'\f', '\r'}, {' ', ' '}};

bool is_word_char(char32_t c) { return contains(kWord, c); }

enum class Assertion : uint8_t { TextBegin, TextEnd, WordBoundary, NotWordBoundary };

// The syntax tree. `size` is the number of instructions the node compiles to, saturated just past
// the state limit so that nested repetitions cannot overflow it.
struct Node {
    enum class Kind : uint8_t { Empty, Chars, Concat, Alternate, Repeat, Assert };
    Kind kind = Kind::Empty;
    std::size_t offset = 0;
    std::size_t size = 0;
    uint32_t set_index = 0;      // Chars: index into the program's sets
    Assertion assertion{};       // Assert
    int min = 0, max = 0;        // Repeat: max < 0 means unbounded
    std::vector<Node> children;  // Concat, Alternate: the parts; Repeat: the one repeated node
};

constexpr std::size_t kSizeCap = Regex::kMaxStates + 1;

std::size_t saturating_add(std::size_t a, std::size_t b) { return std::min(kSizeCap, a + b); }
std::size_t saturating_mul(std::size_t a, std::size_t b) {
    if (a == 0 || b == 0) return 0;
    return a > kSizeCap / b ? kSizeCap : std::min(kSizeCap, a * b);
}

// Instruction counts, matching what Compiler::emit produces (see there).
std::size_t repeat_size(std::size_t child, int min, int max) {
    if (max < 0) {
        if (min == 0) return saturating_add(child, 2);
        return saturating_add(saturating_mul(child, static_cast<std::size_t>(min)), 1);
    }
    return saturating_add(saturating_mul(child, static_cast<std::size_t>(max)),
                          static_cast<std::size_t>(max - min));
}

// One NFA state. Chars consumes a code point in sets[x]; Split continues at both x and y; Jump at x;
// Assert continues at the next instruction when its assertion holds; Match accepts.
struct Instruction {
    enum class Op : uint8_t { Chars, Split, Jump, Assert, Match };
    Op op;
    Assertion assertion;
    uint32_t x;
    uint32_t y;
};

// A deterministic automaton for search(), made from the NFA by the subset construction. Its input
// symbols are classes of code points: two code points share a class when every set of the pattern
// either holds both or neither, so a pattern with \p{Han} and 号 has a handful of classes, not a
// million. Each DFA state stands for the set of NFA threads alive at a position; the unanchored search
// is built in, by adding the pattern's start to every state.
struct Dfa {
    // Flags of a state. A match ending at this position ends the search at once; a dead state has no
    // live thread and cannot gain one (only anchored patterns reach it); a state that accepts at the
    // end matches if the text ends here, through $ or \z.
    static constexpr uint8_t kAcceptNow = 1;
    static constexpr uint8_t kDead = 2;
    static constexpr uint8_t kAcceptAtEnd = 4;
    // A BMP block entry with this bit is the class of the whole block of 256 code points.
    static constexpr uint16_t kUniformBlock = 0x8000;
    // A BMP block entry that sends the lookup to the binary search over intervals.
    static constexpr uint16_t kSearchBlock = 0x7FFF;

    // The class of each ASCII code point, so that ASCII text needs no search.
    std::array<uint16_t, 128> ascii_class{};
    // For the BMP, one entry per block of 256 code points: the block's class with kUniformBlock, the
    // index of its row in bmp_rows, or kSearchBlock. It makes the class of a Han character two loads.
    std::array<uint16_t, 256> bmp_block{};
    std::vector<uint16_t> bmp_rows;
    // The classes as sorted intervals of code points: interval i is [interval_start[i],
    // interval_start[i + 1]) and belongs to interval_class[i]. Used outside the tables above.
    std::vector<char32_t> interval_start;
    std::vector<uint16_t> interval_class;
    std::size_t class_count = 0;
    // next[state * class_count + class] is the state after reading a code point of that class; state
    // 0 is the start.
    std::vector<uint16_t> next;
    // The flags of each state (kAcceptNow, kDead, kAcceptAtEnd).
    std::vector<uint8_t> flags;

    uint16_t class_of(char32_t c) const {
        if (c < 0x80) return ascii_class[c];
        if (c < 0x10000) {
            const uint16_t entry = bmp_block[c >> 8];
            if (entry & kUniformBlock) return static_cast<uint16_t>(entry & ~kUniformBlock);
            if (entry != kSearchBlock) return bmp_rows[(static_cast<std::size_t>(entry) << 8) | (c & 0xFF)];
        }
        return interval_class_of(c);
    }

    uint16_t interval_class_of(char32_t c) const {
        const auto it = std::upper_bound(interval_start.begin(), interval_start.end(), c);
        return interval_class[static_cast<std::size_t>(it - interval_start.begin()) - 1];
    }
};

// When a pattern is a sequence P L S around one code point L (and has no assertion): L's bytes, P
// reversed and S, each as an anchored DFA. search() then looks for L and checks P backwards and S
// forwards from there, instead of running the search DFA over all the text before L.
struct InnerLiteral {
    std::string literal;
    Dfa before_reversed;
    Dfa after;
};

}  // namespace

// The compiled pattern that copies of a Regex share; never changed after compile().
struct Regex::Program {
    std::string pattern;
    std::vector<CharSet> sets;
    std::vector<Instruction> instructions;
    // A byte string that every match contains, or empty; search() fails at once on a text without it.
    std::string required_literal;
    // True when the pattern is exactly required_literal, with no assertion: finding it is the answer.
    bool literal_only = false;
    // The DFA that search() runs, when the pattern has one within the limits.
    std::optional<Dfa> search_dfa;
    // See InnerLiteral.
    std::optional<InnerLiteral> inner;
    // The inner literal contains the required one: a text without the required literal has no
    // inner literal either, which search() finds out with its first look for the inner literal,
    // so it does not look for the required one first (the same text read twice, for nothing).
    bool required_in_inner = false;
};

namespace {

// Recursive-descent parser. Each parse_* function either returns a node or records the first error
// and returns an empty node; callers check failed() and unwind.
class Parser {
public:
    Parser(std::string_view pattern, std::vector<CharSet>& sets) : pattern_(pattern), sets_(sets) {}

    Node parse() {
        Node root = parse_alternation(0);
        if (!failed() && pos_ < pattern_.size()) fail("unmatched ')'", pos_);
        if (!failed() && root.size + 1 > Regex::kMaxStates) too_large(root.offset);
        return root;
    }

    bool failed() const { return error_.has_value(); }
    const RegexError& error() const { return *error_; }

private:
    void fail(std::string message, std::size_t offset) {
        if (!error_) error_ = RegexError{std::move(message), offset};
    }
    void too_large(std::size_t offset) {
        fail("pattern too large: more than " + std::to_string(Regex::kMaxStates) + " NFA states", offset);
    }

    bool at_end() const { return pos_ >= pattern_.size(); }
    char peek() const { return at_end() ? '\0' : pattern_[pos_]; }

    // Reads one code point of the pattern, failing on malformed UTF-8.
    char32_t next_code_point() {
        const std::size_t start = pos_;
        const char32_t c = decode_utf8(pattern_, pos_);
        if (c == kReplacementCharacter && pattern_.compare(start, 3, "\xEF\xBF\xBD") != 0) {
            fail("invalid UTF-8 in pattern", start);
        }
        return c;
    }

    Node chars_node(CharSet set, std::size_t offset) {
        Node node;
        node.kind = Node::Kind::Chars;
        node.offset = offset;
        node.size = 1;
        node.set_index = static_cast<uint32_t>(sets_.size());
        sets_.push_back(normalized(std::move(set)));
        return node;
    }

    Node assert_node(Assertion assertion, std::size_t offset) {
        Node node;
        node.kind = Node::Kind::Assert;
        node.offset = offset;
        node.size = 1;
        node.assertion = assertion;
        return node;
    }

    // alternation := sequence ('|' sequence)*
    Node parse_alternation(int depth) {
        const std::size_t start = pos_;
        std::vector<Node> branches;
        branches.push_back(parse_sequence(depth));
        while (!failed() && peek() == '|') {
            ++pos_;
            branches.push_back(parse_sequence(depth));
        }
        if (failed()) return Node{};
        if (branches.size() == 1) return std::move(branches.front());
        Node node;
        node.kind = Node::Kind::Alternate;
        node.offset = start;
        // Each branch but the last adds a Split before it and a Jump after it.
        node.size = 0;
        for (const Node& b : branches) node.size = saturating_add(node.size, b.size);
        node.size = saturating_add(node.size, 2 * (branches.size() - 1));
        node.children = std::move(branches);
        if (node.size > Regex::kMaxStates) too_large(start);
        return node;
    }

    // sequence := repeat*, ending at '|', ')' or the end of the pattern
    Node parse_sequence(int depth) {
        Node node;
        node.kind = Node::Kind::Concat;
        node.offset = pos_;
        while (!failed() && !at_end() && peek() != '|' && peek() != ')') {
            Node part = parse_repeat(depth);
            if (failed()) return Node{};
            node.size = saturating_add(node.size, part.size);
            if (node.size > Regex::kMaxStates) {
                too_large(part.offset);
                return Node{};
            }
            node.children.push_back(std::move(part));
        }
        if (node.children.size() == 1) return std::move(node.children.front());
        return node;
    }

    static bool is_digit(char c) { return c >= '0' && c <= '9'; }

    // Reads a repetition count, saturating so that a long digit string cannot overflow.
    int read_count() {
        int value = 0;
        while (!at_end() && is_digit(peek())) {
            value = std::min(value * 10 + (peek() - '0'), Regex::kMaxRepeat + 1);
            ++pos_;
        }
        return value;
    }

    // Tries to read {n}, {n,} or {n,m} at pos_ (which is at '{'). On success sets min and max
    // (max < 0 unbounded) and returns true; a '{' that starts none of them is left for a literal.
    bool read_braces(int& min, int& max) {
        const std::size_t start = pos_;
        ++pos_;
        if (at_end() || !is_digit(peek())) {
            pos_ = start;
            return false;
        }
        min = read_count();
        max = min;
        if (peek() == ',') {
            ++pos_;
            max = -1;
            if (is_digit(peek())) max = read_count();
        }
        if (peek() != '}') {
            pos_ = start;
            return false;
        }
        ++pos_;
        if (min > Regex::kMaxRepeat || max > Regex::kMaxRepeat) {
            fail("repetition count exceeds " + std::to_string(Regex::kMaxRepeat), start);
        } else if (max >= 0 && min > max) {
            fail("invalid repetition range " + std::string(pattern_.substr(start, pos_ - start)) +
                     ": the minimum exceeds the maximum",
                 start);
        }
        return true;
    }

    // Reads one quantifier at pos_ if there is one; returns false (consuming nothing) otherwise.
    bool read_quantifier(int& min, int& max) {
        switch (peek()) {
            case '*':
                ++pos_;
                min = 0;
                max = -1;
                return true;
            case '+':
                ++pos_;
                min = 1;
                max = -1;
                return true;
            case '?':
                ++pos_;
                min = 0;
                max = 1;
                return true;
            case '{': return read_braces(min, max);
            default: return false;
        }
    }

    // repeat := atom quantifier? '?'?   — a second quantifier is an error, as in RE2.
    Node parse_repeat(int depth) {
        const std::size_t atom_start = pos_;
        Node atom = parse_atom(depth);
        if (failed()) return Node{};
        const std::size_t quantifier_start = pos_;
        int min = 0, max = 0;
        if (!read_quantifier(min, max)) return atom;
        if (failed()) return Node{};
        if (peek() == '?') ++pos_;  // lazy: same language
        const std::size_t after = pos_;
        int ignored_min = 0, ignored_max = 0;
        if (read_quantifier(ignored_min, ignored_max)) {
            if (!failed()) {
                fail("bad repetition operator: " +
                         std::string(pattern_.substr(quantifier_start, pos_ - quantifier_start)),
                     after);
            }
            return Node{};
        }
        Node node;
        node.kind = Node::Kind::Repeat;
        node.offset = atom_start;
        node.min = min;
        node.max = max;
        node.size = repeat_size(atom.size, min, max);
        node.children.push_back(std::move(atom));
        if (node.size > Regex::kMaxStates) too_large(quantifier_start);
        return node;
    }

    // atom := '(' group ')' | '[' class ']' | '.' | '^' | '$' | '\' escape | literal
    Node parse_atom(int depth) {
        const std::size_t start = pos_;
        const char c = peek();
        switch (c) {
            case '(': return parse_group(depth);
            case '[': return parse_class();
            case '.': ++pos_; return chars_node({{0, '\n' - 1}, {'\n' + 1, kMaxCodePoint}}, start);
            case '^': ++pos_; return assert_node(Assertion::TextBegin, start);
            case '$': ++pos_; return assert_node(Assertion::TextEnd, start);
            case '*':
            case '+':
            case '?':
                fail(std::string("missing argument to repetition operator: ") + c, start);
                return Node{};
            case '{': {
                int min = 0, max = 0;
                if (read_braces(min, max)) {
                    if (!failed()) fail("missing argument to repetition operator: {", start);
                    return Node{};
                }
                ++pos_;
                return chars_node({{'{', '{'}}, start);
            }
            case '\\': return parse_escape();
            default: {
                const char32_t literal = next_code_point();
                if (failed()) return Node{};
                return chars_node({{literal, literal}}, start);
            }
        }
    }

    // group := '(' ('?:' | '?P<name>' | '?<name>')? alternation ')'
    Node parse_group(int depth) {
        const std::size_t start = pos_;
        if (depth >= Regex::kMaxNesting) {
            fail("groups nested more than " + std::to_string(Regex::kMaxNesting) + " deep", start);
            return Node{};
        }
        ++pos_;
        if (peek() == '?') {
            const std::string_view rest = pattern_.substr(pos_);
            if (rest.compare(0, 2, "?:") == 0) {
                pos_ += 2;
            } else if (rest.compare(0, 3, "?P<") == 0 || (rest.compare(0, 2, "?<") == 0 && rest.size() > 2 &&
                                                          rest[2] != '=' && rest[2] != '!')) {
                const std::size_t name_start = pos_ + (rest[1] == 'P' ? 3 : 2);
                const std::size_t close = pattern_.find('>', name_start);
                if (close == std::string_view::npos || close == name_start) {
                    fail("invalid named group", start);
                    return Node{};
                }
                for (std::size_t i = name_start; i < close; ++i) {
                    if (!is_word_char(static_cast<unsigned char>(pattern_[i]))) {
                        fail("invalid named group: the name may hold only letters, digits and _", start);
                        return Node{};
                    }
                }
                pos_ = close + 1;
            } else {
                fail("unsupported group syntax: flags and look-around are not supported", start);
                return Node{};
            }
        }
        Node inner = parse_alternation(depth + 1);
        if (failed()) return Node{};
        if (peek() != ')') {
            fail("missing ')'", start);
            return Node{};
        }
        ++pos_;
        return inner;
    }

    // Reads \p{Han} or \P{Han} (pos_ is just past the backslash, at 'p' or 'P').
    bool read_property(CharSet& set) {
        const std::size_t start = pos_ - 1;
        const bool negated = peek() == 'P';
        ++pos_;
        std::string_view name;
        if (peek() == '{') {
            const std::size_t close = pattern_.find('}', pos_);
            if (close == std::string_view::npos) {
                fail("missing '}' after \\p{", start);
                return false;
            }
            name = pattern_.substr(pos_ + 1, close - pos_ - 1);
            pos_ = close + 1;
        } else {
            if (at_end()) {
                fail("missing property name after \\p", start);
                return false;
            }
            name = pattern_.substr(pos_, 1);
            ++pos_;
        }
        bool inner_negated = false;
        if (!name.empty() && name[0] == '^') {
            inner_negated = true;
            name.remove_prefix(1);
        }
        if (name != "Han") {
            fail("unknown Unicode property \\p{" + std::string(name) + "}: only \\p{Han} is supported",
                 start);
            return false;
        }
        set = negated != inner_negated ? complement(han_ranges()) : han_ranges();
        return true;
    }

    static int hex_value(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    // Reads `count` hex digits (or, with count 0, {hex...}) into a code point.
    bool read_hex(int count, std::size_t escape_start, char32_t& value) {
        value = 0;
        if (count == 0) {
            ++pos_;  // '{'
            std::size_t digits = 0;
            while (!at_end() && hex_value(peek()) >= 0) {
                value = std::min<char32_t>(value * 16 + static_cast<char32_t>(hex_value(peek())),
                                           kMaxCodePoint + 1);
                ++pos_;
                ++digits;
            }
            if (digits == 0 || peek() != '}') {
                fail("invalid hexadecimal escape: expected \\x{HEX}", escape_start);
                return false;
            }
            ++pos_;
        } else {
            for (int i = 0; i < count; ++i) {
                if (at_end() || hex_value(peek()) < 0) {
                    fail("invalid hexadecimal escape: expected " + std::to_string(count) + " hex digits",
                         escape_start);
                    return false;
                }
                value = value * 16 + static_cast<char32_t>(hex_value(peek()));
                ++pos_;
            }
        }
        if (value > kMaxCodePoint) {
            fail("escape beyond U+10FFFF", escape_start);
            return false;
        }
        return true;
    }

    // Reads an escape (pos_ at the backslash). It is either a single code point (`single` set,
    // `set` holding just it), a set such as \d, or, outside classes, an assertion (`assertion`).
    enum class EscapeKind { Single, Set, Assert };
    EscapeKind read_escape(bool in_class, CharSet& set, char32_t& single, Assertion& assertion) {
        const std::size_t start = pos_;
        ++pos_;
        if (at_end()) {
            fail("trailing backslash at end of pattern", start);
            return EscapeKind::Single;
        }
        const char c = peek();
        const auto single_of = [&](char32_t value) {
            single = value;
            set = {{value, value}};
            return EscapeKind::Single;
        };
        switch (c) {
            case 'd':
                ++pos_;
                set = kDigit;
                return EscapeKind::Set;
            case 'D':
                ++pos_;
                set = complement(kDigit);
                return EscapeKind::Set;
            case 'w':
                ++pos_;
                set = kWord;
                return EscapeKind::Set;
            case 'W':
                ++pos_;
                set = complement(kWord);
                return EscapeKind::Set;
            case 's':
                ++pos_;
                set = kSpace;
                return EscapeKind::Set;
            case 'S':
                ++pos_;
                set = complement(kSpace);
                return EscapeKind::Set;
            case 'p':
            case 'P': read_property(set); return EscapeKind::Set;
            case 'n': ++pos_; return single_of('\n');
            case 't': ++pos_; return single_of('\t');
            case 'r': ++pos_; return single_of('\r');
            case 'f': ++pos_; return single_of('\f');
            case 'v': ++pos_; return single_of('\v');
            case 'a': ++pos_; return single_of('\a');
            case 'x': {
                ++pos_;
                char32_t value = 0;
                read_hex(peek() == '{' ? 0 : 2, start, value);
                return single_of(value);
            }
            case 'u': {
                ++pos_;
                char32_t value = 0;
                read_hex(4, start, value);
                return single_of(value);
            }
            case 'b':
            case 'B':
            case 'A':
            case 'z':
                if (in_class) {
                    fail(std::string("\\") + c + " is not allowed in a character class", start);
                    return EscapeKind::Single;
                }
                ++pos_;
                assertion = c == 'b'   ? Assertion::WordBoundary
                            : c == 'B' ? Assertion::NotWordBoundary
                            : c == 'A' ? Assertion::TextBegin
                                       : Assertion::TextEnd;
                return EscapeKind::Assert;
            default: break;
        }
        if (c >= '1' && c <= '9') {
            fail("backreferences are not supported", start);
            return EscapeKind::Single;
        }
        const unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x80 && u > 0x20 && u != 0x7F && !is_word_char(u)) {
            ++pos_;
            return single_of(u);
        }
        if (u < 0x80) {
            fail(std::string("invalid escape \\") + c, start);
        } else {
            fail("invalid escape: only ASCII punctuation may be escaped", start);
        }
        return EscapeKind::Single;
    }

    Node parse_escape() {
        const std::size_t start = pos_;
        CharSet set;
        char32_t single = 0;
        Assertion assertion{};
        const EscapeKind kind = read_escape(false, set, single, assertion);
        if (failed()) return Node{};
        if (kind == EscapeKind::Assert) return assert_node(assertion, start);
        return chars_node(std::move(set), start);
    }

    // Reads [:name:] or [:^name:] at pos_ (at '['); returns false, consuming nothing, if absent.
    bool read_posix_class(CharSet& set) {
        if (pattern_.compare(pos_, 2, "[:") != 0) return false;
        const std::size_t start = pos_;
        const std::size_t close = pattern_.find(":]", pos_ + 2);
        if (close == std::string_view::npos) return false;
        std::string_view name = pattern_.substr(pos_ + 2, close - pos_ - 2);
        bool negated = false;
        if (!name.empty() && name[0] == '^') {
            negated = true;
            name.remove_prefix(1);
        }
        static const std::pair<std::string_view, CharSet> kClasses[] = {
            {"alpha", {{'A', 'Z'}, {'a', 'z'}}},
            {"digit", {{'0', '9'}}},
            {"alnum", {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}}},
            {"upper", {{'A', 'Z'}}},
            {"lower", {{'a', 'z'}}},
            {"space", {{'\t', '\r'}, {' ', ' '}}},
            {"punct", {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}}},
            {"xdigit", {{'0', '9'}, {'A', 'F'}, {'a', 'f'}}},
            {"word", {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}},
        };
        for (const auto& [class_name, ranges] : kClasses) {
            if (name == class_name) {
                set = negated ? complement(ranges) : ranges;
                pos_ = close + 2;
                return true;
            }
        }
        fail("unknown POSIX class [:" + std::string(name) + ":]", start);
        return true;
    }

    // Reads one class member that may end a range: a literal or a single-character escape.
    bool read_class_char(char32_t& value, CharSet& set, bool& is_set) {
        is_set = false;
        if (peek() == '\\') {
            Assertion ignored{};
            const EscapeKind kind = read_escape(true, set, value, ignored);
            is_set = kind == EscapeKind::Set;
            return !failed();
        }
        value = next_code_point();
        return !failed();
    }

    // class := '[' '^'? ']'? member* ']'   where member := posix | char ('-' char)?
    Node parse_class() {
        const std::size_t start = pos_;
        ++pos_;
        bool negated = false;
        if (peek() == '^') {
            negated = true;
            ++pos_;
        }
        CharSet members;
        bool first = true;
        while (true) {
            if (at_end()) {
                fail("missing ']' to close the character class", start);
                return Node{};
            }
            if (peek() == ']' && !first) {
                ++pos_;
                break;
            }
            first = false;
            CharSet posix;
            if (read_posix_class(posix)) {
                if (failed()) return Node{};
                members.insert(members.end(), posix.begin(), posix.end());
                continue;
            }
            const std::size_t item_start = pos_;
            char32_t low = 0;
            CharSet low_set;
            bool low_is_set = false;
            if (!read_class_char(low, low_set, low_is_set)) return Node{};
            // A '-' makes a range unless it is the last member.
            if (peek() == '-' && pos_ + 1 < pattern_.size() && pattern_[pos_ + 1] != ']') {
                ++pos_;
                char32_t high = 0;
                CharSet high_set;
                bool high_is_set = false;
                if (!read_class_char(high, high_set, high_is_set)) return Node{};
                if (low_is_set || high_is_set) {
                    fail("invalid character class range: " +
                             std::string(pattern_.substr(item_start, pos_ - item_start)),
                         item_start);
                    return Node{};
                }
                if (high < low) {
                    fail("invalid character class range " +
                             std::string(pattern_.substr(item_start, pos_ - item_start)) +
                             ": the end is before the start",
                         item_start);
                    return Node{};
                }
                members.push_back({low, high});
            } else if (low_is_set) {
                members.insert(members.end(), low_set.begin(), low_set.end());
            } else {
                members.push_back({low, low});
            }
        }
        CharSet set = normalized(std::move(members));
        return chars_node(negated ? complement(set) : set, start);
    }

    std::string_view pattern_;
    std::vector<CharSet>& sets_;
    std::size_t pos_ = 0;
    std::optional<RegexError> error_;
};

// What the syntax tree says about the literal text of every match of a node: the facts behind the
// required-literal prefilter. Every field is a certainty, never a guess, so a node that is not
// understood (an alternation, a class, an optional part) contributes nothing rather than a wrong
// literal. Assertions match the empty string, so they leave the literal text unchanged.
struct LiteralFacts {
    bool exact = false;          // every match of the node is `text`
    bool has_assertion = false;  // the node holds an assertion, so `exact` alone does not decide a search
    std::string text;            // when exact
    std::string prefix;          // every match starts with it
    std::string suffix;          // every match ends with it
    std::string best;            // the best literal that every match contains
};

// Counts the Han characters of a literal: in the texts policies check, ideographs are common and
// punctuation such as 〔 is rare, so a literal with fewer of them rejects more texts.
std::size_t han_count(const std::string& literal) {
    std::size_t count = 0;
    std::size_t pos = 0;
    while (pos < literal.size()) count += is_han(decode_utf8(literal, pos)) ? 1 : 0;
    return count;
}

// Keeps the literal that a prefilter would rather look for: the longer one, which occurs by chance
// more rarely, and between equally long ones the one with fewer Han characters, then the first.
void keep_better(std::string& best, const std::string& candidate) {
    if (candidate.size() > best.size() ||
        (candidate.size() == best.size() && !candidate.empty() && han_count(candidate) < han_count(best))) {
        best = candidate;
    }
}

LiteralFacts exact_facts(std::string text, bool has_assertion) {
    LiteralFacts facts;
    facts.exact = true;
    facts.has_assertion = has_assertion;
    facts.prefix = facts.suffix = facts.best = text;
    facts.text = std::move(text);
    return facts;
}

std::string repeated(const std::string& text, int count) {
    std::string out;
    out.reserve(text.size() * static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) out += text;
    return out;
}

LiteralFacts literal_facts(const Node& node, const std::vector<CharSet>& sets) {
    switch (node.kind) {
        case Node::Kind::Empty: return exact_facts("", false);
        case Node::Kind::Assert: return exact_facts("", true);
        case Node::Kind::Chars: {
            // U+FFFD is left out: it also matches any malformed byte, which is not its encoding. So are
            // the surrogates, which no text decodes to and which have no encoding of their own.
            const CharSet& set = sets[node.set_index];
            if (set.size() != 1 || set[0].first != set[0].last) return LiteralFacts{};
            const char32_t c = set[0].first;
            if (c == kReplacementCharacter || (c >= 0xD800 && c <= 0xDFFF)) return LiteralFacts{};
            std::string text;
            append_utf8(text, c);
            return exact_facts(std::move(text), false);
        }
        case Node::Kind::Alternate: return LiteralFacts{};
        case Node::Kind::Repeat: {
            if (node.min == 0) return LiteralFacts{};
            // The first repetition starts every match and the last one ends it.
            LiteralFacts child = literal_facts(node.children.front(), sets);
            if (!child.exact) return child;
            LiteralFacts facts = exact_facts(repeated(child.text, node.min), child.has_assertion);
            facts.exact = node.min == node.max;
            if (!facts.exact) facts.text.clear();
            return facts;
        }
        case Node::Kind::Concat: {
            // `run` is the literal that the concatenation so far is known to end with; it grows over
            // exact children and restarts after any other child, from what that child ends with.
            LiteralFacts facts;
            bool all_exact = true;
            std::string run;
            for (const Node& child : node.children) {
                LiteralFacts part = literal_facts(child, sets);
                facts.has_assertion = facts.has_assertion || part.has_assertion;
                if (part.exact) {
                    run += part.text;
                    continue;
                }
                if (all_exact) facts.prefix = run + part.prefix;
                all_exact = false;
                keep_better(facts.best, run + part.prefix);
                keep_better(facts.best, part.best);
                run = std::move(part.suffix);
            }
            if (all_exact) return exact_facts(std::move(run), facts.has_assertion);
            keep_better(facts.best, run);
            facts.suffix = std::move(run);
            return facts;
        }
    }
    return LiteralFacts{};
}

// Emits instructions for a node. The shapes (and so the counts in Node::size) are:
//   x*     L1: Split L2, L3   L2: x   Jump L1   L3:           size x + 2
//   x+     L1: x   Split L1, L2   L2:                         size x + 1
//   x?     Split L1, L2   L1: x   L2:                         size x + 1
//   x{n,m} n copies of x, then m − n copies of x?             size m·x + (m − n)
//   x{n,}  n − 1 copies of x, then x+ (n ≥ 1), or x*          size n·x + 1
//   a|b|c  Split La, L1  La: a  Jump End  L1: Split Lb, Lc  Lb: b  Jump End  Lc: c  End:
class Compiler {
public:
    explicit Compiler(std::vector<Instruction>& out) : out_(out) {}

    void emit(const Node& node) {
        switch (node.kind) {
            case Node::Kind::Empty: return;
            case Node::Kind::Chars: push({Instruction::Op::Chars, {}, node.set_index, 0}); return;
            case Node::Kind::Assert: push({Instruction::Op::Assert, node.assertion, 0, 0}); return;
            case Node::Kind::Concat:
                for (const Node& child : node.children) emit(child);
                return;
            case Node::Kind::Alternate: {
                std::vector<std::size_t> jumps;
                for (std::size_t i = 0; i < node.children.size(); ++i) {
                    if (i + 1 < node.children.size()) {
                        const std::size_t split = push({Instruction::Op::Split, {}, 0, 0});
                        out_[split].x = here();
                        emit(node.children[i]);
                        jumps.push_back(push({Instruction::Op::Jump, {}, 0, 0}));
                        out_[split].y = here();
                    } else {
                        emit(node.children[i]);
                    }
                }
                for (std::size_t jump : jumps) out_[jump].x = here();
                return;
            }
            case Node::Kind::Repeat: emit_repeat(node); return;
        }
    }

private:
    uint32_t here() const { return static_cast<uint32_t>(out_.size()); }

    std::size_t push(Instruction instruction) {
        out_.push_back(instruction);
        return out_.size() - 1;
    }

    void emit_star(const Node& x) {
        const std::size_t split = push({Instruction::Op::Split, {}, 0, 0});
        out_[split].x = here();
        emit(x);
        push({Instruction::Op::Jump, {}, static_cast<uint32_t>(split), 0});
        out_[split].y = here();
    }

    void emit_plus(const Node& x) {
        const uint32_t start = here();
        emit(x);
        push({Instruction::Op::Split, {}, start, here() + 1});
    }

    void emit_quest(const Node& x) {
        const std::size_t split = push({Instruction::Op::Split, {}, 0, 0});
        out_[split].x = here();
        emit(x);
        out_[split].y = here();
    }

    void emit_repeat(const Node& node) {
        const Node& x = node.children.front();
        if (node.max < 0) {
            if (node.min == 0) {
                emit_star(x);
                return;
            }
            for (int i = 0; i + 1 < node.min; ++i) emit(x);
            emit_plus(x);
            return;
        }
        for (int i = 0; i < node.min; ++i) emit(x);
        for (int i = node.min; i < node.max; ++i) emit_quest(x);
    }

    std::vector<Instruction>& out_;
};

// A set of instruction indices with O(1) insert, membership and clear, in insertion order
// (Briggs and Torczon's sparse set), so that each step of the VM costs O(states). Clearing leaves the
// arrays as they are, which is what lets one set serve every search of a thread.
class SparseSet {
public:
    // Empties the set and makes room for indices below `capacity`.
    void reset(std::size_t capacity) {
        if (dense_.size() < capacity) {
            dense_.resize(capacity);
            sparse_.resize(capacity);
        }
        size_ = 0;
    }
    bool contains(uint32_t i) const { return sparse_[i] < size_ && dense_[sparse_[i]] == i; }
    void insert(uint32_t i) {
        sparse_[i] = static_cast<uint32_t>(size_);
        dense_[size_++] = i;
    }
    void clear() { size_ = 0; }
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    uint32_t operator[](std::size_t k) const { return dense_[k]; }

private:
    std::vector<uint32_t> dense_;
    std::vector<uint32_t> sparse_;
    std::size_t size_ = 0;
};

// What the zero-width assertions may see at a position between two code points.
struct Position {
    bool at_begin;
    bool at_end;
    char32_t before;  // meaningful unless at_begin
    char32_t after;   // meaningful unless at_end
};

bool holds(Assertion assertion, const Position& p) {
    switch (assertion) {
        case Assertion::TextBegin: return p.at_begin;
        case Assertion::TextEnd: return p.at_end;
        case Assertion::WordBoundary:
        case Assertion::NotWordBoundary: {
            const bool word_before = !p.at_begin && is_word_char(p.before);
            const bool word_after = !p.at_end && is_word_char(p.after);
            return (word_before != word_after) == (assertion == Assertion::WordBoundary);
        }
    }
    return false;
}

// The Pike VM's working memory. It is kept per thread and only grows, so that a search allocates
// nothing once the thread has run a pattern as large; policies run the same few patterns millions of
// times, and allocating it on every call took about a seventh of a short search.
struct PikeScratch {
    SparseSet lists[2];
    std::vector<uint32_t> stack;
    // checked_at[set] is the step in which member[set] was computed. Steps count on across searches,
    // so entries left by an earlier search are always older than the current step.
    std::vector<uint64_t> checked_at;
    std::vector<uint8_t> member;
    uint64_t step = 0;
};

PikeScratch& pike_scratch() {
    thread_local PikeScratch scratch;
    return scratch;
}

// Limits on the DFA, so that compile() stays quick and the tables small; a pattern past any of them
// keeps the Pike VM. Policy patterns are far below them: the document-number pattern has 6 classes
// and 11 states.
constexpr std::size_t kDfaMaxNfaStates = 2000;
constexpr std::size_t kDfaMaxClasses = 1024;
constexpr std::size_t kDfaMaxStates = 1024;
constexpr std::size_t kDfaMaxTableEntries = std::size_t{1} << 16;
// Steps of closure and class computation; it bounds the time compile() spends on a DFA it may drop.
constexpr std::size_t kDfaMaxWork = std::size_t{1} << 20;
// BMP blocks that get a row of their own in the class table; the others use the binary search.
constexpr std::size_t kDfaMaxBmpRows = 32;

// Builds the search DFA of a compiled program by the subset construction, over all classes at once.
// It gives up (returns nothing) on \b and \B, whose answer depends on the code point after the
// position, and when a limit is passed.
class DfaBuilder {
public:
    // An anchored DFA matches only from where it starts (the inner-literal split's parts); otherwise
    // it searches, starting a thread at every position.
    DfaBuilder(const std::vector<Instruction>& program, const std::vector<CharSet>& sets, bool anchored = false)
        : program_(program), sets_(sets), anchored_(anchored), visited_(program.size(), 0) {}

    std::optional<Dfa> build() {
        if (program_.size() > kDfaMaxNfaStates) return std::nullopt;
        for (const Instruction& instruction : program_) {
            if (instruction.op == Instruction::Op::Assert &&
                (instruction.assertion == Assertion::WordBoundary ||
                 instruction.assertion == Assertion::NotWordBoundary)) {
                return std::nullopt;
            }
        }
        if (!make_classes()) return std::nullopt;

        std::vector<uint32_t> key;
        bool matched = false;
        // The start state is never shared with a later state: only it sees the beginning of the text.
        if (!closure({0}, true, false, key, matched) || !add_state(key, matched, true)) return std::nullopt;

        std::vector<uint32_t> seeds;
        const std::size_t classes = dfa_.class_count;
        for (std::size_t state = 0; state < keys_.size(); ++state) {
            if (dfa_.flags[state] & (Dfa::kAcceptNow | Dfa::kDead)) {
                // The search stops on entering these states, so their rows are never read.
                std::fill_n(dfa_.next.begin() + static_cast<std::ptrdiff_t>(state * classes), classes,
                            static_cast<uint16_t>(state));
                continue;
            }
            for (std::size_t klass = 0; klass < classes; ++klass) {
                seeds.clear();
                const uint8_t* member = member_.data() + klass * sets_.size();
                for (uint32_t pc : keys_[state]) {
                    const Instruction& instruction = program_[pc];
                    if (instruction.op == Instruction::Op::Chars && member[instruction.x]) {
                        seeds.push_back(pc + 1);
                    }
                }
                // The unanchored search starts a thread at every position.
                if (!anchored_) seeds.push_back(0);
                if (!closure(seeds, false, false, key, matched)) return std::nullopt;
                const std::optional<uint16_t> target = state_for(key, matched);
                if (!target) return std::nullopt;
                dfa_.next[state * classes + klass] = *target;
            }
        }
        return std::move(dfa_);
    }

private:
    // Splits the code points into classes by their membership in every set of the pattern.
    bool make_classes() {
        std::vector<char32_t> starts = {0};
        for (const CharSet& set : sets_) {
            for (const CodePointRange& range : set) {
                starts.push_back(range.first);
                if (range.last < kMaxCodePoint) starts.push_back(range.last + 1);
            }
        }
        std::sort(starts.begin(), starts.end());
        starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
        const std::size_t set_count = sets_.size();
        if (!spend(starts.size() * std::max<std::size_t>(set_count, 1))) return false;

        // The signature of an interval says which sets hold it; equal signatures make one class.
        std::vector<std::string> signatures(starts.size(), std::string(set_count, '\0'));
        for (std::size_t x = 0; x < set_count; ++x) {
            for (const CodePointRange& range : sets_[x]) {
                const auto first = std::lower_bound(starts.begin(), starts.end(), range.first);
                auto i = static_cast<std::size_t>(first - starts.begin());
                for (; i < starts.size() && starts[i] <= range.last; ++i) signatures[i][x] = 1;
            }
        }
        std::map<std::string, uint16_t> class_of_signature;
        dfa_.interval_class.reserve(starts.size());
        for (const std::string& signature : signatures) {
            const auto [it, added] =
                class_of_signature.emplace(signature, static_cast<uint16_t>(class_of_signature.size()));
            if (added) member_.insert(member_.end(), signature.begin(), signature.end());
            dfa_.interval_class.push_back(it->second);
            if (class_of_signature.size() > kDfaMaxClasses) return false;
        }
        dfa_.class_count = class_of_signature.size();
        dfa_.interval_start = std::move(starts);

        for (char32_t c = 0; c < 0x80; ++c) dfa_.ascii_class[c] = dfa_.interval_class_of(c);
        for (char32_t block = 0; block < 256; ++block) {
            const char32_t low = block << 8;
            const auto it = std::upper_bound(dfa_.interval_start.begin(), dfa_.interval_start.end(), low);
            const bool uniform = it == dfa_.interval_start.end() || *it > low + 0xFF;
            if (uniform) {
                dfa_.bmp_block[block] = dfa_.interval_class_of(low) | Dfa::kUniformBlock;
            } else if (dfa_.bmp_rows.size() < (kDfaMaxBmpRows << 8)) {
                dfa_.bmp_block[block] = static_cast<uint16_t>(dfa_.bmp_rows.size() >> 8);
                for (char32_t c = low; c <= low + 0xFF; ++c) {
                    dfa_.bmp_rows.push_back(dfa_.interval_class_of(c));
                }
            } else {
                dfa_.bmp_block[block] = Dfa::kSearchBlock;
            }
        }
        return true;
    }

    bool spend(std::size_t work) {
        work_ += work;
        return work_ <= kDfaMaxWork;
    }

    // Follows the empty transitions from `seeds` as the Pike VM's add() does, at a position that is
    // the beginning of the text when `at_begin` and the end when `at_end`; when the end is not known,
    // a $ is kept in `key` to be decided later. `key` receives the sorted states that wait for a code
    // point or for the end; `matched` tells whether a Match state was reached.
    bool closure(const std::vector<uint32_t>& seeds, bool at_begin, bool at_end, std::vector<uint32_t>& key,
                 bool& matched) {
        ++generation_;
        key.clear();
        matched = false;
        stack_.assign(seeds.rbegin(), seeds.rend());
        std::size_t steps = 0;
        while (!stack_.empty()) {
            const uint32_t at = stack_.back();
            stack_.pop_back();
            if (visited_[at] == generation_) continue;
            visited_[at] = generation_;
            ++steps;
            const Instruction& instruction = program_[at];
            switch (instruction.op) {
                case Instruction::Op::Chars: key.push_back(at); break;
                case Instruction::Op::Match: matched = true; break;
                case Instruction::Op::Jump: stack_.push_back(instruction.x); break;
                case Instruction::Op::Split:
                    stack_.push_back(instruction.y);
                    stack_.push_back(instruction.x);
                    break;
                case Instruction::Op::Assert:
                    if (instruction.assertion == Assertion::TextBegin) {
                        if (at_begin) stack_.push_back(at + 1);
                    } else if (at_end) {
                        stack_.push_back(at + 1);
                    } else {
                        key.push_back(at);
                    }
                    break;
            }
        }
        std::sort(key.begin(), key.end());
        return spend(steps);
    }

    // The state for a closure: one shared state for every match and one for no thread at all.
    std::optional<uint16_t> state_for(const std::vector<uint32_t>& key, bool matched) {
        if (matched) {
            if (!accept_state_) {
                if (!add_state({}, true, false)) return std::nullopt;
                accept_state_ = last_state();
            }
            return accept_state_;
        }
        if (key.empty()) {
            if (!dead_state_) {
                if (!add_state({}, false, false)) return std::nullopt;
                dead_state_ = last_state();
            }
            return dead_state_;
        }
        const auto it = index_.find(key);
        if (it != index_.end()) return it->second;
        if (!add_state(key, false, false)) return std::nullopt;
        index_.emplace(key, last_state());
        return last_state();
    }

    uint16_t last_state() const { return static_cast<uint16_t>(keys_.size() - 1); }

    bool add_state(const std::vector<uint32_t>& key, bool matched, bool at_begin) {
        if (keys_.size() + 1 > kDfaMaxStates || (keys_.size() + 1) * dfa_.class_count > kDfaMaxTableEntries) {
            return false;
        }
        uint8_t flags = 0;
        if (matched) {
            flags = Dfa::kAcceptNow;
        } else if (key.empty()) {
            flags = Dfa::kDead;
        } else {
            // At the end of the text every $ waiting in the state holds.
            std::vector<uint32_t> seeds;
            for (uint32_t pc : key) {
                if (program_[pc].op == Instruction::Op::Assert) seeds.push_back(pc + 1);
            }
            std::vector<uint32_t> ignored;
            bool matched_at_end = false;
            if (!seeds.empty() && !closure(seeds, at_begin, true, ignored, matched_at_end)) return false;
            if (matched_at_end) flags = Dfa::kAcceptAtEnd;
        }
        keys_.push_back(key);
        dfa_.flags.push_back(flags);
        dfa_.next.resize(keys_.size() * dfa_.class_count);
        return true;
    }

    const std::vector<Instruction>& program_;
    const std::vector<CharSet>& sets_;
    const bool anchored_;
    Dfa dfa_;
    // member_[class * number of sets + set] tells whether the set holds the class's code points.
    std::vector<uint8_t> member_;
    // The NFA states of each DFA state, and the index that finds a state by them.
    std::vector<std::vector<uint32_t>> keys_;
    std::map<std::vector<uint32_t>, uint16_t> index_;
    std::optional<uint16_t> accept_state_;
    std::optional<uint16_t> dead_state_;
    std::vector<uint32_t> visited_;
    uint32_t generation_ = 0;
    std::vector<uint32_t> stack_;
    std::size_t work_ = 0;
};

// Decodes the code point at `pos` like decode_utf8, with the common cases inline: ASCII, and the
// three-byte sequences of Han and of full-width punctuation (leads E1 to EC, EE and EF, which have
// no overlong or surrogate forms to reject).
inline char32_t decode_utf8_inline(std::string_view text, std::size_t& pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    if (lead < 0x80) {
        ++pos;
        return lead;
    }
    if (((lead >= 0xE1 && lead <= 0xEC) || lead >= 0xEE) && lead <= 0xEF && text.size() - pos >= 3) {
        const auto second = static_cast<unsigned char>(text[pos + 1]);
        const auto third = static_cast<unsigned char>(text[pos + 2]);
        if ((second & 0xC0) == 0x80 && (third & 0xC0) == 0x80) {
            pos += 3;
            return (static_cast<char32_t>(lead & 0x0F) << 12) | (static_cast<char32_t>(second & 0x3F) << 6) |
                   (third & 0x3F);
        }
    }
    return decode_utf8(text, pos);
}

// The code point that ends at `end` (> 0, a position where decoding starts) as decoding from the
// start of the text reads it, and where it starts. A lead byte always starts a code point (an invalid
// sequence takes one byte), so the code point is the valid sequence from the nearest lead byte that
// ends exactly at `end`, or else the byte before `end` alone, read as U+FFFD.
char32_t decode_utf8_before(std::string_view text, std::size_t end, std::size_t& start) {
    const auto last = static_cast<unsigned char>(text[end - 1]);
    start = end - 1;
    if (last < 0x80) return last;
    for (std::size_t back = 2; back <= 4 && back <= end; ++back) {
        const std::size_t at = end - back;
        if ((static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) continue;
        std::size_t pos = at;
        const char32_t c = decode_utf8(text, pos);
        if (pos != end) break;
        start = at;
        return c;
    }
    return kReplacementCharacter;
}

// Runs a DFA from `pos`, backwards (an anchored DFA of a pattern reversed) or forwards: whether some
// text ending (or starting) there matches. Each code point read spends one unit of `budget`;
// when it runs out the answer is unknown (nullopt).
template <bool Backwards>
std::optional<bool> dfa_match_from(const Dfa& dfa, std::string_view text, std::size_t pos, std::size_t& budget) {
    std::size_t state = 0;
    uint8_t flags = dfa.flags[0];
    while (!(flags & (Dfa::kAcceptNow | Dfa::kDead)) && (Backwards ? pos > 0 : pos < text.size())) {
        if (budget == 0) return std::nullopt;
        --budget;
        const char32_t c = Backwards ? decode_utf8_before(text, pos, pos) : decode_utf8_inline(text, pos);
        state = dfa.next[state * dfa.class_count + dfa.class_of(c)];
        flags = dfa.flags[state];
    }
    return (flags & Dfa::kAcceptNow) || (!Backwards && pos == text.size() && (flags & Dfa::kAcceptAtEnd));
}

// Runs the search DFA over the text and stops as soon as the answer is known: at the first match, or
// when no thread is left.
bool dfa_search(const Dfa& dfa, std::string_view text) {
    std::size_t unlimited = SIZE_MAX;
    return *dfa_match_from<false>(dfa, text, 0, unlimited);
}

// The sequence of parts a node matches one after another: a Concat's children, those of nested
// Concats spliced in.
void sequence_parts(const Node& node, std::vector<const Node*>& out) {
    if (node.kind != Node::Kind::Concat) {
        out.push_back(&node);
        return;
    }
    for (const Node& child : node.children) sequence_parts(child, out);
}

bool has_assertion(const Node& node) {
    if (node.kind == Node::Kind::Assert) return true;
    return std::any_of(node.children.begin(), node.children.end(), has_assertion);
}

// The node that matches the reversed texts of `node`'s matches.
Node reversed(const Node& node) {
    Node out = node;
    for (Node& child : out.children) child = reversed(child);
    if (out.kind == Node::Kind::Concat) std::reverse(out.children.begin(), out.children.end());
    return out;
}

// An anchored DFA for a sequence of parts (empty: matches at once).
std::optional<Dfa> anchored_dfa(std::vector<Node> parts, const std::vector<CharSet>& sets) {
    Node sequence;
    sequence.kind = Node::Kind::Concat;
    sequence.children = std::move(parts);
    std::vector<Instruction> instructions;
    Compiler(instructions).emit(sequence);
    instructions.push_back({Instruction::Op::Match, {}, 0, 0});
    return DfaBuilder(instructions, sets, true).build();
}

// The inner-literal split of a pattern, when it has one: a part of its top-level sequence that is one
// code point (the first one outside ASCII if there is one: in Chinese texts they are the rarer). The
// pattern must have no assertion anywhere, since cutting the text around the literal would change
// what an assertion sees (^, $, \b).
std::optional<InnerLiteral> inner_literal(const Node& root, const std::vector<CharSet>& sets) {
    if (has_assertion(root)) return std::nullopt;
    std::vector<const Node*> parts;
    sequence_parts(root, parts);
    std::size_t chosen = parts.size();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (parts[i]->kind != Node::Kind::Chars) continue;
        const CharSet& set = sets[parts[i]->set_index];
        if (set.size() != 1 || set[0].first != set[0].last) continue;
        // U+FFFD is also what malformed bytes decode to, and a surrogate is what no bytes decode
        // to: neither can be found by its bytes.
        const char32_t c = set[0].first;
        if (c == kReplacementCharacter || (c >= 0xD800 && c <= 0xDFFF)) continue;
        if (chosen == parts.size() || (set[0].first >= 0x80 && sets[parts[chosen]->set_index][0].first < 0x80)) chosen = i;
    }
    if (chosen == parts.size()) return std::nullopt;
    std::vector<Node> before, after;
    for (std::size_t i = chosen; i-- > 0;) before.push_back(reversed(*parts[i]));
    for (std::size_t i = chosen + 1; i < parts.size(); ++i) after.push_back(*parts[i]);
    std::optional<Dfa> before_dfa = anchored_dfa(std::move(before), sets);
    std::optional<Dfa> after_dfa = anchored_dfa(std::move(after), sets);
    if (!before_dfa || !after_dfa) return std::nullopt;
    std::string literal;
    append_utf8(literal, sets[parts[chosen]->set_index][0].first);
    return InnerLiteral{std::move(literal), std::move(*before_dfa), std::move(*after_dfa)};
}

}  // namespace

Regex::Regex(std::shared_ptr<const Program> program) : program_(std::move(program)) {}

std::variant<Regex, RegexError> Regex::compile(std::string_view pattern) {
    auto program = std::make_shared<Program>();
    program->pattern = std::string(pattern);
    Parser parser(pattern, program->sets);
    const Node root = parser.parse();
    if (parser.failed()) return parser.error();
    program->instructions.reserve(root.size + 1);
    Compiler(program->instructions).emit(root);
    program->instructions.push_back({Instruction::Op::Match, {}, 0, 0});
    LiteralFacts facts = literal_facts(root, program->sets);
    program->literal_only = facts.exact && !facts.has_assertion;
    program->required_literal = std::move(facts.best);
    program->search_dfa = DfaBuilder(program->instructions, program->sets).build();
    if (!program->literal_only) program->inner = inner_literal(root, program->sets);
    program->required_in_inner =
        program->inner && program->inner->literal.find(program->required_literal) != std::string::npos;
    return Regex(std::move(program));
}

const std::string& Regex::pattern() const { return program_->pattern; }

std::size_t Regex::state_count() const { return program_->instructions.size(); }

const std::string& Regex::required_literal() const { return program_->required_literal; }

bool Regex::has_dfa() const { return program_->search_dfa.has_value(); }

bool Regex::has_inner_literal() const { return program_->inner.has_value(); }

bool Regex::search(std::string_view text) const {
    const Program& program = *program_;
    if (!program.required_literal.empty() && !program.required_in_inner &&
        text.find(program.required_literal) == std::string_view::npos) {
        return false;
    }
    if (program.literal_only) return true;
    if (program.inner) {
        // Every match is P L S: at each L, P must end just before it and S start just after it.
        // Checks from many L's could read the same text again and again (P = x[^y]*, a text of L's),
        // so together they may read each code point about twice; past that the search DFA decides,
        // which keeps the search linear in the text.
        const InnerLiteral& inner = *program.inner;
        std::size_t budget = 2 * text.size() + 64;
        bool decided = true;
        for (std::size_t at = text.find(inner.literal); at != std::string_view::npos && decided;
             at = text.find(inner.literal, at + inner.literal.size())) {
            const std::optional<bool> before = dfa_match_from<true>(inner.before_reversed, text, at, budget);
            const std::optional<bool> after =
                before.value_or(false) ? dfa_match_from<false>(inner.after, text, at + inner.literal.size(), budget)
                                       : before;
            if (after.value_or(false)) return true;
            decided = after.has_value();
        }
        if (decided) return false;
    }
    if (program.search_dfa) return dfa_search(*program.search_dfa, text);
    return run(text, false);
}

bool Regex::search_by_pike_vm(std::string_view text) const { return run(text, false); }

bool Regex::full_match(std::string_view text) const { return run(text, true); }

bool Regex::run(std::string_view text, bool whole_text) const {
    const std::vector<Instruction>& program = program_->instructions;
    const std::vector<CharSet>& sets = program_->sets;
    PikeScratch& scratch = pike_scratch();
    SparseSet* current_list = &scratch.lists[0];
    SparseSet* next_list = &scratch.lists[1];
    current_list->reset(program.size());
    next_list->reset(program.size());
    std::vector<uint32_t>& stack = scratch.stack;
    stack.clear();
    // Expanded repetitions share one set among many states, so each set's answer for the current code
    // point is computed once per step: checked_at[set] is the step it was last computed in.
    if (scratch.checked_at.size() < sets.size()) {
        scratch.checked_at.resize(sets.size(), 0);
        scratch.member.resize(sets.size(), 0);
    }
    std::vector<uint64_t>& checked_at = scratch.checked_at;
    std::vector<uint8_t>& member = scratch.member;
    uint64_t& step = scratch.step;

    // Follows the empty transitions from `pc` at position `p`, adding every state reached to `list`;
    // returns true when a Match state is reached that counts (anywhere for a search, only at the
    // end of the text for a full match).
    const auto add = [&](SparseSet& list, uint32_t pc, const Position& p) {
        bool matched = false;
        stack.push_back(pc);
        while (!stack.empty()) {
            const uint32_t at = stack.back();
            stack.pop_back();
            if (list.contains(at)) continue;
            list.insert(at);
            const Instruction& instruction = program[at];
            switch (instruction.op) {
                case Instruction::Op::Chars: break;
                case Instruction::Op::Match: matched = matched || !whole_text || p.at_end; break;
                case Instruction::Op::Jump: stack.push_back(instruction.x); break;
                case Instruction::Op::Split:
                    stack.push_back(instruction.y);
                    stack.push_back(instruction.x);
                    break;
                case Instruction::Op::Assert:
                    if (holds(instruction.assertion, p)) stack.push_back(at + 1);
                    break;
            }
        }
        return matched;
    };

    std::size_t pos = 0;
    char32_t before = 0;
    std::size_t after_pos = 0;
    char32_t c = text.empty() ? 0 : decode_utf8_inline(text, after_pos);
    while (true) {
        SparseSet& current = *current_list;
        SparseSet& next = *next_list;
        const Position here{pos == 0, pos >= text.size(), before, c};
        // A search may start anywhere; a full match only at the beginning.
        if (!whole_text || pos == 0) {
            if (add(current, 0, here)) return true;
        }
        if (current.empty() && whole_text) return false;
        if (here.at_end) return false;

        std::size_t lookahead_pos = after_pos;
        const char32_t following = after_pos < text.size() ? decode_utf8_inline(text, lookahead_pos) : 0;
        const Position there{false, after_pos >= text.size(), c, following};
        ++step;
        for (std::size_t k = 0; k < current.size(); ++k) {
            const Instruction& instruction = program[current[k]];
            if (instruction.op != Instruction::Op::Chars) continue;
            if (checked_at[instruction.x] != step) {
                checked_at[instruction.x] = step;
                member[instruction.x] = contains(sets[instruction.x], c);
            }
            if (member[instruction.x] && add(next, current[k] + 1, there)) return true;
        }
        std::swap(current_list, next_list);
        current.clear();
        before = c;
        pos = after_pos;
        c = following;
        after_pos = lookahead_pos;
    }
}

}  // namespace zhiping::domain
