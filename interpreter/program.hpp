// A compiled policy: the checked AST of every file plus the tables the evaluator indexes by slot.
// Immutable after loading; evaluation keeps all per-record state in an EvalContext of its own.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "interpreter/fast.hpp"
#include "interpreter/value.hpp"
#include "lang/ast.hpp"
#include "lang/diagnostic.hpp"

namespace zhiping {

// What evaluating one rule reads for every record, copied out of its declaration at load into one
// small entry: the rules of a subject are then walked through one array, not through declarations
// and expressions of several hundred bytes each spread over the heap (measured: ~15 % of an
// eval-only record's time went on evaluate_record's own loads before).
struct RulePlan {
  const Decl* rule = nullptr;
  const FastNode* condition = nullptr;  // the compiled bool condition when the rule has no locals
  const Expr* foreach_list = nullptr;   // null without for-each
  int list_field = -1;                  // the input field that is the for-each list, if it is one
  int frame_size = 0;
  int foreach_slot = -1;
  int index_slot = -1;
  // The steps of the message (an interpolation whose operands all have compiled roots that keep no
  // temporaries: Evaluator::interpolate_fast), or 0 when the tree-walker writes it.
  int message_steps = 0;
  // The for-each item is the rule's only local and its compiled condition keeps no temporaries (so
  // no node hands the frame to the tree-walker, and compiled nodes only read it): the condition
  // then reads each item where the list holds it, and the item is copied into a frame only for a
  // finding or the tree-walker.
  bool item_in_place = false;
};

struct SubjectInfo {
  std::string name;
  const Decl* input_decl = nullptr;
  const RecordType* input = nullptr;
  const Type* input_type = nullptr;  // types::record(input), kept so that evaluation never interns
  std::vector<const Decl*> rules;    // in evaluation order: file order, then declaration order
  std::vector<RulePlan> plans;       // parallel to rules, made after the fast path is compiled
  std::vector<const Decl*> outputs;
  std::vector<const Decl*> tests;
};

struct Program {
  // Owns every value object made while loading (literals, constants, calendars, defaults): they are
  // read by all threads and never reference-counted (see ValueArena).
  ValueArena arena;
  std::vector<std::unique_ptr<SourceFile>> files;
  std::vector<FileSyntax> syntax;
  std::vector<std::unique_ptr<RecordType>> records;
  std::vector<std::unique_ptr<EnumType>> enums;
  std::vector<SubjectInfo> subjects;
  std::vector<const Decl*> lets;       // every let and table; Expr::slot indexes it
  std::vector<Value> constants;        // per let: the value of shared lets and tables, computed at load
  std::vector<const Decl*> outputs;    // Expr::slot of an Output name indexes it
  std::vector<Value> calendars;        // CalendarObject values
  std::map<std::pair<const RecordType*, int>, Value> field_defaults;
  // Per enum, its values as strings of the program's arena, in declaration order: an input's enum
  // field holds one of these instead of a string of its own (see enum_value).
  std::unordered_map<const EnumType*, std::vector<Value>> enum_values;
  FastPlans fast;                      // compiled forms of the root expressions (Expr::fast)
  // Data files (test inputs) given with in-memory sources, by normalised path. Policies loaded from
  // disk read test inputs from disk instead.
  std::map<std::string, std::string> data_files;
  bool from_disk = false;

  Program() = default;
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  // The checker interned types built on this program's records and enums; they go with it.
  ~Program() {
    std::vector<const RecordType*> own_records;
    for (auto& r : records) own_records.push_back(r.get());
    std::vector<const EnumType*> own_enums;
    for (auto& e : enums) own_enums.push_back(e.get());
    types::forget(own_records, own_enums);
  }

  // The program's value for `text` of enum `e`, or nullptr when `text` is not one of its values.
  const Value* enum_value(const EnumType* e, std::string_view text) const {
    auto found = enum_values.find(e);
    if (found == enum_values.end()) return nullptr;
    for (size_t i = 0; i < e->values.size(); ++i)
      if (e->values[i] == text) return &found->second[i];
    return nullptr;
  }

  const SubjectInfo* subject(const std::string& name) const {
    for (auto& s : subjects)
      if (s.name == name) return &s;
    return nullptr;
  }
};

}  // namespace zhiping
