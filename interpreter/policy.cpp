// The public API: loading (read → parse → check → build constants), evaluation of records, the
// policy's own tests, standalone expressions, and the input schema for forms.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "interpreter/evaluator.hpp"
#include "interpreter/functions.hpp"
#include "interpreter/input.hpp"
#include "interpreter/zhiping.hpp"
#include "lang/checker.hpp"
#include "lang/parser.hpp"
#include "stdlib/calendars.hpp"
#include "stdlib/domain/date.hpp"
#include "stdlib/domain/text.hpp"

namespace zhiping {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxPolicyFileBytes = 8u << 20;

// "a/b/../c/./d.json" → "a/c/d.json", so that in-memory paths compare equal however written.
std::string normalize_path(const std::string& path) {
  std::vector<std::string> parts;
  std::stringstream ss(path);
  std::string part;
  bool absolute = !path.empty() && path[0] == '/';
  while (std::getline(ss, part, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == ".." && !parts.empty() && parts.back() != "..") parts.pop_back();
    else parts.push_back(part);
  }
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string join_path(const std::string& dir, const std::string& rel) {
  if (!rel.empty() && rel[0] == '/') return normalize_path(rel);
  return normalize_path(dir.empty() ? rel : dir + "/" + rel);
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// The byte offset of the first malformed UTF-8 sequence in `s`, or npos. (decode_utf8 returns
// U+FFFD for a malformed sequence; a U+FFFD written in the file is fine.)
size_t first_invalid_utf8(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    // ASCII, most of a policy's bytes, needs no decoding.
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    size_t start = pos;
    if (domain::decode_utf8(s, pos) == 0xFFFD && s.compare(start, 3, "\xEF\xBF\xBD") != 0) return start;
  }
  return std::string::npos;
}

// Readies a checked program for evaluation: compiles the expressions evaluated per record — rule
// conditions, rule locals, for-each lists and message parts, lets, outputs and function bodies —
// for the fast path (interpreter/fast.hpp), and notes where each rule and output is, for findings.
void prepare_evaluation(Program& p) {
  auto compile = [&](const ExprPtr& e) {
    if (e) p.fast.compile(*e, p.arena, p);
  };
  for (auto& file : p.syntax) {
    for (auto& d : file.decls) {
      if (d->name_span.file) d->name_span.file->line_col(d->name_span.begin, d->name_line, d->name_column);
      switch (d->kind) {
        case DeclKind::Rule:
          compile(d->condition);
          compile(d->foreach_list);
          for (auto& local : d->locals) compile(local.second);
          if (d->message && d->message->kind == ExprKind::Interpolation) {
            for (auto& part : d->message->args) compile(part);
          } else {
            compile(d->message);
          }
          break;
        case DeclKind::Let:
        case DeclKind::Function:
          compile(d->value);
          break;
        case DeclKind::Output:
          compile(d->value);
          compile(d->condition);
          break;
        default:
          break;
      }
    }
  }
}

// The plans of every subject's rules (see RulePlan), once their expressions are compiled.
void make_rule_plans(Program& p) {
  for (auto& s : p.subjects) {
    s.plans.clear();
    for (const Decl* rule : s.rules) {
      RulePlan plan;
      plan.rule = rule;
      if (rule->locals.empty() && rule->condition) plan.condition = compiled_condition(*rule->condition);
      plan.foreach_list = rule->foreach_list.get();
      const Expr* list = plan.foreach_list;
      if (list && list->kind == ExprKind::Ident && list->name_kind == NameKind::InputField) plan.list_field = list->slot;
      plan.frame_size = rule->frame_size;
      plan.foreach_slot = rule->foreach_slot;
      plan.index_slot = rule->index_slot;
      if (rule->message) plan.message_steps = interpolation_steps(*rule->message);
      plan.item_in_place = list && plan.condition && !plan.condition->holds && plan.frame_size == 1 && plan.foreach_slot == 0 &&
                           plan.index_slot < 0;
      s.plans.push_back(plan);
    }
  }
}

// Parses and checks a set of sources, then computes the constants. An imported file that is not among
// the sources comes from `data_files` (in-memory loads) or from disk (`from_disk`).
LoadResult load_program(std::vector<PolicySource> sources, std::map<std::string, std::string> data_files, bool from_disk) {
  auto program = std::make_shared<Program>();
  ArenaScope arena_scope(&program->arena);
  program->data_files = std::move(data_files);
  program->from_disk = from_disk;
  DiagnosticSink sink;
  std::set<std::string> loaded;
  std::vector<PolicySource> queue = std::move(sources);
  // Files are parsed in order; imports are appended and parsed after, each once.
  for (size_t i = 0; i < queue.size(); ++i) {
    std::string path = normalize_path(queue[i].path);
    if (!loaded.insert(path).second) continue;
    program->files.push_back(std::make_unique<SourceFile>(queue[i].path, std::move(queue[i].text)));
    const SourceFile& file = *program->files.back();
    if (file.text.size() > kMaxPolicyFileBytes) {
      sink.error("load.too-large", Span{&file, 0, 0}, {std::to_string(kMaxPolicyFileBytes)});
      continue;
    }
    // Every text of a policy ends up in messages and JSON reports, which must be UTF-8: a file in
    // another encoding (GBK from an old editor) is refused here, at its first bad byte.
    size_t bad = first_invalid_utf8(file.text);
    if (bad != std::string::npos) {
      sink.error("load.invalid-utf8", Span{&file, static_cast<uint32_t>(bad), static_cast<uint32_t>(bad + 1)}, {});
      continue;
    }
    program->syntax.push_back(parse_policy_file(file, sink));
    for (auto& [import_path, span] : program->syntax.back().imports) {
      std::string target = join_path(directory_of(path), import_path);
      if (loaded.count(target)) continue;
      std::string text;
      auto mem = program->data_files.find(target);
      if (mem != program->data_files.end()) text = mem->second;
      else if (!from_disk || !read_file(target, text)) {
        sink.error("load.import-missing", span, {import_path});
        continue;
      }
      queue.push_back(PolicySource{target, text});
    }
  }
  check_program(*program, sink, FunctionRegistry::standard());
  if (!sink.has_errors()) {
    // Calendars, then the constants: shared lets and tables are computed once here, so that every
    // evaluation shares them and a bad table is a load error, not a per-record one.
    for (auto& file : program->syntax)
      for (auto& d : file.decls)
        if (d->kind == DeclKind::Calendar) program->calendars.push_back(build_calendar(*d, sink));
    EvalContext ctx;
    ctx.program = program.get();
    ctx.lets.resize(program->lets.size());
    ctx.let_state.resize(program->lets.size());
    ctx.steps_left = Limits{}.max_steps * 10;
    Evaluator ev(ctx);
    program->constants.assign(program->lets.size(), Value::absent());
    for (size_t i = 0; i < program->lets.size(); ++i) {
      const Decl& d = *program->lets[i];
      // Tables are data, so a table in a subject's file is computed here too (it has no value
      // expression to evaluate per record).
      if (!d.subject.empty() && d.kind != DeclKind::Table) continue;
      Value v;
      try {
        if (d.kind == DeclKind::Table) {
          std::vector<Value> rows;
          std::vector<Value> frame(std::max(d.frame_size, 1));
          for (auto& row : d.rows) {
            std::vector<Value> fields;
            for (auto& c : row.cells) fields.push_back(c ? ev.eval(*c, frame.data()) : Value::null());
            fields.push_back(ev.eval(*row.result, frame.data()));
            for (auto& f : fields)
              if (f.is_error()) v = f;
            rows.push_back(Value::record(d.record, std::move(fields)));
          }
          if (!v.is_error()) v = Value::list(std::move(rows));
        } else {
          v = ev.let_value(static_cast<int>(i));
        }
      } catch (const EvalLimitExceeded& e) {
        ctx.depth = 0;
        v = Value::error(d.name_span, e.message_zh, e.what());
      }
      if (v.is_error()) sink.error("check.constant-error", d.name_span, {d.name, v.err().message_zh});
      program->constants[i] = v;
    }
    for (auto& e : program->enums) {
      auto& values = program->enum_values[e.get()];
      for (auto& text : e->values) values.push_back(Value::string(text));
    }
    for (auto& rec : program->records) {
      for (size_t i = 0; i < rec->fields.size(); ++i) {
        if (!rec->fields[i].default_value) continue;
        std::vector<Value> frame(4);
        Value v;
        try {
          v = ev.eval(*rec->fields[i].default_value, frame.data());
        } catch (const EvalLimitExceeded& e) {
          ctx.depth = 0;
          v = Value::error(rec->fields[i].span, e.message_zh, e.what());
        }
        if (v.is_error()) sink.error("check.constant-error", rec->fields[i].span, {rec->fields[i].name, v.err().message_zh});
        program->field_defaults[{rec.get(), static_cast<int>(i)}] = v;
      }
    }
    prepare_evaluation(*program);
    make_rule_plans(*program);
  }
  LoadResult result;
  result.diagnostics = std::move(sink.items);
  result.sources = program;
  bool errors = std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                            [](const Diagnostic& d) { return d.severity == DiagSeverity::Error; });
  if (!errors) result.policy = std::make_shared<Policy>(program);
  return result;
}

std::string error_text(const Value& v, Lang lang) {
  if (!v.is_error()) return "";
  const auto& err = v.err();
  std::string where;
  if (err.span.valid()) {
    uint32_t line, column;
    err.span.file->line_col(err.span.begin, line, column);
    where = " (" + err.span.file->path + ":" + std::to_string(line) + ":" + std::to_string(column) + ")";
  }
  return (lang == Lang::Zh ? err.message_zh : err.message_en) + where;
}

// What a finding takes from its rule (or output): code, severity, clause and place.
// (Comparing a reused finding's texts before copying them measured slower: for code and clause in
// instructions, slots change rules often; for the file, which rarely changes, ~10 % in time.)
void set_origin(Finding& f, const Decl& rule) {
  f.code = rule.name;
  f.severity = rule.severity == Severity::Error ? FindingSeverity::Error
               : rule.severity == Severity::Warning ? FindingSeverity::Warning : FindingSeverity::Info;
  f.cite = rule.cite;
  f.file = rule.name_span.file->path;
  f.line = rule.name_line;
  f.column = rule.name_column;
}

Finding make_finding(const Decl& rule, std::string message, std::string item) {
  Finding f;
  set_origin(f, rule);
  f.message = std::move(message);
  f.item = std::move(item);
  return f;
}

// A rule that cannot be evaluated for this record still says so: an error finding, never silence.
Finding evaluation_error(const Decl& rule, const std::string& cause, const std::string& item, Lang lang) {
  Finding f = make_finding(rule, "", item);
  f.code = "EVALUATION-ERROR";
  f.severity = FindingSeverity::Error;
  f.message = lang == Lang::Zh ? "规则 " + rule.name + " 无法对这份材料作出判断：" + cause + "。请检查相关信息是否填写完整，或联系政策维护人员。"
                               : "rule " + rule.name + " could not be evaluated: " + cause;
  return f;
}

// Writes one record's findings and values into a Report that may still hold an earlier record's
// (EvalResult reused by the caller): its elements are overwritten in place, so that their strings
// keep their memory, and what is left over goes at the end. A loop that evaluates many records into
// one EvalResult then allocates nothing for the report once its strings have grown to size.
// Findings one record leaves over stay in the report's FindingList, past its end, for the next.
class ReportBuilder {
 public:
  explicit ReportBuilder(Report& report) : report_(report) { report_.findings.clear(); }
  // The next finding, to be filled completely (every field; a reused one holds old text).
  Finding& add() { return report_.findings.next(); }
  void add(Finding f) { add() = std::move(f); }
  void drop_last() { report_.findings.pop_back(); }
  OutputValue& add_value() {
    if (values_ < report_.values.size()) return report_.values[values_++];
    ++values_;
    return report_.values.emplace_back();
  }
  // Also when an exception leaves the evaluation: the report then holds this record's findings so far.
  ~ReportBuilder() {
    report_.values.resize(values_);
    report_.pass = std::none_of(report_.findings.begin(), report_.findings.end(),
                                [](const Finding& f) { return f.severity == FindingSeverity::Error; });
  }

 private:
  Report& report_;
  size_t values_ = 0;
};

// Writes the item's name ("achievements[2]") into `name`, built only for a finding; "" without
// for-each. In place, so that a reused finding's string keeps its memory.
void write_item_name(const Decl& rule, int64_t index, std::string& name) {
  name.clear();
  if (index < 0 || rule.foreach_path.empty()) return;
  char digits[24];
  const char* end = std::to_chars(digits, digits + sizeof digits, index).ptr;
  name += rule.foreach_path;
  name += '[';
  name.append(digits, static_cast<size_t>(end - digits));
  name += ']';
}
std::string item_name(const Decl& rule, int64_t index) {
  std::string name;
  write_item_name(rule, index, name);
  return name;
}

// The finding of an item whose condition held (`index` is the for-each position, or -1).
void add_finding(const RulePlan& plan, Evaluator& ev, Value* frame, int64_t index, ReportBuilder& report, Lang lang) {
  const Decl& rule = *plan.rule;
  // The finding is made in place in the report, its message written straight into it: a finding
  // is the most common thing a rule makes, and moving one moves five strings. (Evaluating the
  // message and the item cannot add findings, so `f` stays valid.) If a limit unwinds through
  // the message, the half-made finding goes, and the rule's error finding takes its place.
  Finding& f = report.add();
  struct Unmake {
    ReportBuilder& report;
    bool keep = false;
    ~Unmake() { if (!keep) report.drop_last(); }
  } unmake{report};
  set_origin(f, rule);
  f.message.clear();
  Value message;
  if (!plan.message_steps || !ev.fast_enabled() || !ev.interpolate_fast(*rule.message, plan.message_steps, frame, f.message))
    message = ev.eval_text(*rule.message, frame, f.message);
  write_item_name(rule, index, f.item);
  if (rule.item) {
    Value it = ev.eval(*rule.item, frame);
    if (!it.is_error()) f.item = it.str();
  }
  if (message.is_error()) f = evaluation_error(rule, error_text(message, lang), f.item, lang);
  unmake.keep = true;
}

// An item of a rule with locals, or one the compiled condition could not answer alone: its locals,
// its condition (by the tree-walker when the fast path bails), and the finding if it holds.
void evaluate_item(const RulePlan& plan, Evaluator& ev, Value* frame, int64_t index, ReportBuilder& report, Lang lang) {
  const Decl& rule = *plan.rule;
  for (size_t k = 0; k < rule.locals.size(); ++k) frame[rule.local_slots[k]] = ev.eval(*rule.locals[k].second, frame);
  bool holds;
  if (ev.try_condition(*rule.condition, frame, holds)) {
    if (!holds) return;
  } else if (Value cond = ev.eval(*rule.condition, frame); cond.is_error()) {
    report.add(evaluation_error(rule, error_text(cond, lang), item_name(rule, index), lang));
    return;
  } else if (cond.kind != ValueKind::Bool || !cond.b) {
    return;
  }
  add_finding(plan, ev, frame, index, report, lang);
}

// What an item's answer from the compiled condition leads to: a finding, nothing, or the item
// evaluated by evaluate_item (Unknown: also when there is no compiled condition).
inline void settle(Evaluator::Answer answer, const RulePlan& plan, Evaluator& ev, Value* frame, int64_t index,
                   ReportBuilder& report, Lang lang) {
  if (answer == Evaluator::Answer::True) add_finding(plan, ev, frame, index, report, lang);
  else if (answer == Evaluator::Answer::Unknown) evaluate_item(plan, ev, frame, index, report, lang);
}

void evaluate_rule(const RulePlan& plan, Evaluator& ev, FastEnv& env, ReportBuilder& report, Lang lang) {
  const Decl& rule = *plan.rule;
  // Most items of most rules are decided by the compiled condition alone, and most of those are
  // false: that case takes no more than the condition's own run. Rules with locals, and items the
  // compiled condition cannot answer, take evaluate_item.
  const FastNode* fast = ev.fast_enabled() ? plan.condition : nullptr;
  try {
    // A rule without for-each and locals (most rules): one item, no frame to make; kept apart from
    // `decide` below, whose frame and lambda measured ~230 instructions per record more.
    if (!plan.foreach_list && plan.frame_size == 0) {
      env.frame = nullptr;
      settle(fast ? ev.run_condition(*fast, env) : Evaluator::Answer::Unknown, plan, ev, nullptr, -1, report, lang);
      return;
    }
    // The checker sized the frame; an item-in-place rule's is its one item, a value here.
    Value single;
    Frame frame_buffer(plan.item_in_place ? 0 : static_cast<size_t>(plan.frame_size));
    Value* frame = plan.item_in_place ? &single : frame_buffer.data();
    env.frame = frame;
    auto decide = [&](int64_t index) {
      settle(fast ? ev.run_condition(*fast, env) : Evaluator::Answer::Unknown, plan, ev, frame, index, report, lang);
    };
    if (!plan.foreach_list) {
      decide(-1);
      return;
    }
    // The list is usually an input field, read in place.
    Value scratch;
    const Value* field = plan.list_field >= 0 ? ev.input_list(plan.list_field) : nullptr;
    const Value& list = field ? *field : ev.operand(*plan.foreach_list, frame, scratch);
    if (list.is_error() || list.kind != ValueKind::List) {
      report.add(evaluation_error(rule, list.is_error() ? error_text(list, lang) : "not a list", "", lang));
      return;
    }
    const ValueSpan& items = list.items();
    if (plan.item_in_place && fast) {
      // Most items are decided by the condition alone, read in place (see RulePlan::item_in_place:
      // the compiled nodes only read the frame, which here is the list's own item); an item whose
      // condition holds or is not answered gets a frame of its own, as below.
      for (size_t i = 0; i < items.size(); ++i) {
        env.frame = const_cast<Value*>(&items[i]);
        const Evaluator::Answer answer = ev.run_condition(*fast, env);
        if (answer == Evaluator::Answer::False) continue;
        env.frame = frame;
        frame[0] = items[i];
        settle(answer, plan, ev, frame, static_cast<int64_t>(i), report, lang);
      }
      return;
    }
    for (size_t i = 0; i < items.size(); ++i) {
      frame[plan.foreach_slot] = items[i];
      if (plan.index_slot >= 0) frame[plan.index_slot] = Value::int64(static_cast<int64_t>(i));
      decide(static_cast<int64_t>(i));
    }
  } catch (const EvalLimitExceeded& e) {
    // Also from a let that a condition reads, when the tree-walker reaches a limit computing it.
    report.add(evaluation_error(rule, lang == Lang::Zh ? e.message_zh : e.what(), "", lang));
  }
}

// A reused report usually holds this output's name and label already: compared, not copied.
void name_output(OutputValue& o, const Decl& out) {
  if (!same_text(o.name, out.name)) o.name = out.name;
  if (!same_text(o.label, out.label)) o.label = out.label;
}

// An output's unboxed value as JSON (as value_to_json writes it), in place: a date's text reuses the
// string a reused report holds.
void set_json(nlohmann::json& j, const FastSlot& s, Rep rep) {
  switch (rep) {
    case Rep::B: j = s.b; return;
    case Rep::I: j = s.i; return;
    case Rep::D:
      if (!j.is_string()) j = std::string();
      j.get_ref<std::string&>().clear();
      domain::append_date(j.get_ref<std::string&>(), domain::Date{static_cast<int32_t>(s.i)});
      return;
    case Rep::V: return;  // not an output_scalar
  }
}

const SubjectInfo* pick_subject(const Program& p, const std::string& name) {
  if (name.empty()) return p.subjects.empty() ? nullptr : &p.subjects.front();
  return p.subject(name);
}

// What a PreparedInput's opaque record is: the converted record, the arena that owns its objects
// (so that any number of threads may read it without reference counting), and the program whose
// objects (field defaults) it may share, kept alive for as long as the record is.
struct PreparedRecord {
  std::shared_ptr<const Program> program;
  ValueArena arena;
  Value value;
};

// Converts JSON text for `subject` straight into values made in `arena` (no DOM). False when the
// text is not valid for it or over the size limit: the caller then takes the DOM path, which names
// every problem.
bool convert_text(const Program& p, const SubjectInfo* subject, std::string_view text, const EvalOptions& options,
                  ValueArena& arena, Value& out) {
  if (!subject || !subject->input || text.size() > options.limits.max_input_bytes) return false;
  ArenaScope scope(&arena);
  return json_text_to_value(text, subject->input_type, p, options.limits.max_json_depth, out);
}

// Lends this thread's reusable T to one call, or a fresh T when the thread's is already lent (a
// nested call on the same thread; none today). `Clear` runs when the lease ends, so that nothing of
// the call stays behind in the reused object.
template <typename T, void (*Clear)(T&)>
class ThreadLease {
 public:
  ThreadLease() {
    Slot& s = slot();
    if (s.busy) {
      fresh_ = std::make_unique<T>();
      object_ = fresh_.get();
    } else {
      s.busy = true;
      object_ = &s.object;
    }
  }
  ~ThreadLease() {
    Clear(*object_);
    if (!fresh_) slot().busy = false;
  }
  ThreadLease(const ThreadLease&) = delete;
  ThreadLease& operator=(const ThreadLease&) = delete;
  T& operator*() const { return *object_; }

 private:
  struct Slot {
    T object;
    bool busy = false;
  };
  static Slot& slot() {
    thread_local Slot s;
    return s;
  }
  std::unique_ptr<T> fresh_;
  T* object_;
};

// The values of a record must not outlive its evaluation in a reused context.
void clear_context(EvalContext& ctx) {
  // Plain loops: vector::assign's general machinery cost more than the few values it resets.
  ctx.input = Value();
  ctx.input_fields = nullptr;
  for (Value& v : ctx.lets) v = Value();
  for (Value& v : ctx.outputs) v = Value();
}
void reset_arena(ValueArena& arena) { arena.reset(); }

nlohmann::json type_schema(const Type* t, std::set<const RecordType*>& seen);

nlohmann::json record_schema(const RecordType* r, std::set<const RecordType*>& seen) {
  nlohmann::json fields = nlohmann::json::array();
  if (seen.count(r)) return {{"kind", "record"}, {"name", r->name}};
  seen.insert(r);
  for (auto& f : r->fields) {
    nlohmann::json jf = {{"name", f.name}, {"label", f.label}, {"optional", f.optional || f.default_value != nullptr},
                         {"type", type_schema(f.type, seen)}};
    fields.push_back(jf);
  }
  seen.erase(r);
  return {{"kind", "record"}, {"name", r->name}, {"label", r->label}, {"fields", fields}};
}

nlohmann::json type_schema(const Type* t, std::set<const RecordType*>& seen) {
  switch (t->kind) {
    case TypeKind::List: return {{"kind", "list"}, {"elem", type_schema(t->elem, seen)}};
    case TypeKind::Map: return {{"kind", "map"}, {"key", type_schema(t->key, seen)}, {"value", type_schema(t->elem, seen)}};
    case TypeKind::Record: return record_schema(t->record, seen);
    case TypeKind::Enum: return {{"kind", "enum"}, {"values", t->enumeration->values}, {"labels", t->enumeration->labels}};
    default: return {{"kind", type_name(t)}};
  }
}

// RFC 7386 JSON merge patch.
void merge_patch(nlohmann::json& target, const nlohmann::json& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (!target.is_object()) target = nlohmann::json::object();
  for (auto it = patch.begin(); it != patch.end(); ++it) {
    if (it.value().is_null()) target.erase(it.key());
    else merge_patch(target[it.key()], it.value());
  }
}

}  // namespace

std::string LoadResult::render_diagnostics_text(const std::vector<Diagnostic>& ds, Lang lang) { return zhiping::render_diagnostics(ds, lang); }

std::vector<std::string> Policy::subjects() const {
  std::vector<std::string> out;
  for (auto& s : program_->subjects) out.push_back(s.name);
  return out;
}

nlohmann::json Policy::schema(const std::string& subject) const {
  const SubjectInfo* s = pick_subject(*program_, subject);
  if (!s || !s->input) return nullptr;
  std::set<const RecordType*> seen;
  nlohmann::json j = record_schema(s->input, seen);
  j["subject"] = s->name;
  nlohmann::json outputs = nlohmann::json::array();
  for (auto* o : s->outputs) outputs.push_back({{"name", o->name}, {"label", o->label}});
  j["outputs"] = outputs;
  return j;
}

std::vector<Policy::RuleInfo> Policy::rules(const std::string& subject) const {
  std::vector<RuleInfo> out;
  for (auto& s : program_->subjects) {
    if (!subject.empty() && s.name != subject) continue;
    for (const Decl* r : s.rules) {
      RuleInfo info;
      info.subject = s.name;
      info.code = r->name;
      info.title = r->label;
      info.severity = r->severity == Severity::Error ? "error" : r->severity == Severity::Warning ? "warning" : "info";
      info.cite = r->cite;
      info.file = r->name_span.file->path;
      r->name_span.file->line_col(r->name_span.begin, info.line, info.column);
      out.push_back(info);
    }
  }
  return out;
}

const std::string* Policy::data_file(const std::string& path) const {
  auto it = program_->data_files.find(normalize_path(path));
  return it == program_->data_files.end() ? nullptr : &it->second;
}

LoadResult load_policy(const std::string& path) {
  std::vector<PolicySource> sources;
  std::error_code ec;
  DiagnosticSink sink;
  if (fs::is_directory(path, ec)) {
    std::vector<std::string> names;
    for (auto& entry : fs::directory_iterator(path, ec))
      if (entry.is_regular_file() && entry.path().extension() == ".zp") names.push_back(entry.path().string());
    std::sort(names.begin(), names.end());
    if (names.empty()) {
      LoadResult r;
      r.diagnostics.push_back(Diagnostic{DiagSeverity::Error, "load.no-files", Span{}, {path}, "", {}});
      return r;
    }
    for (auto& n : names) {
      std::string text;
      if (!read_file(n, text)) {
        LoadResult r;
        r.diagnostics.push_back(Diagnostic{DiagSeverity::Error, "load.read-error", Span{}, {n}, "", {}});
        return r;
      }
      sources.push_back(PolicySource{normalize_path(n), std::move(text)});
    }
  } else {
    std::string text;
    if (!read_file(path, text)) {
      LoadResult r;
      r.diagnostics.push_back(Diagnostic{DiagSeverity::Error, "load.read-error", Span{}, {path}, "", {}});
      return r;
    }
    sources.push_back(PolicySource{normalize_path(path), std::move(text)});
  }
  return load_program(std::move(sources), {}, true);
}

LoadResult load_policy_sources(const std::vector<PolicySource>& sources) {
  std::vector<PolicySource> zp;
  std::map<std::string, std::string> data;
  for (auto& s : sources) {
    bool is_zp = s.path.size() >= 3 && s.path.compare(s.path.size() - 3, 3, ".zp") == 0;
    data[normalize_path(s.path)] = s.text;
    if (is_zp) zp.push_back(s);
  }
  // Files in name order, as a folder on disk is read, so that rule order does not depend on how
  // the caller listed them.
  std::sort(zp.begin(), zp.end(), [](const PolicySource& a, const PolicySource& b) { return a.path < b.path; });
  return load_program(std::move(zp), std::move(data), false);
}

namespace {
// A prepared record is kept for a while (a benchmark keeps 20,000 of them), so it is copied out of
// the scratch arena it was converted in into one block of its own, sized to fit: ~1.5 KB instead of
// the ~4 KB the growing blocks of a conversion took, and a record's objects next to each other.
// Measured (with values of 16 bytes, next): eval-only over 20,000 prepared records 0.09 -> 0.24 of
// the hand-written C++ (bench/README.md), from fewer cache misses alone.
PreparedInput keep_prepared(const Policy& policy, const SubjectInfo* subject, const Value& converted, const ValueArena& scratch) {
  auto prepared = std::make_shared<PreparedRecord>();
  prepared->program = policy.program_ptr();
  prepared->arena.reserve(scratch.bytes());
  {
    ArenaScope scope(&prepared->arena);
    prepared->value = copy_value(converted, &scratch);
  }
  PreparedInput result;
  result.record = std::move(prepared);
  result.subject = subject;
  return result;
}
}  // namespace

PreparedInput prepare_input(const Policy& policy, const nlohmann::json& input, const EvalOptions& options) {
  PreparedInput result;
  const Program& p = policy.program();
  const SubjectInfo* subject = pick_subject(p, options.subject);
  if (!subject || !subject->input) {
    result.input_error = options.lang == Lang::Zh ? "政策中没有对象 " + options.subject : "the policy has no subject " + options.subject;
    return result;
  }
  std::vector<InputProblem> problems;
  ThreadLease<ValueArena, reset_arena> scratch;
  Value converted;
  {
    ArenaScope scope(&*scratch);
    converted = json_to_value(input, subject->input_type, p, "$", problems);
  }
  if (!problems.empty()) {
    for (auto& pr : problems) {
      if (!result.input_error.empty()) result.input_error += "\n";
      result.input_error += pr.path + (options.lang == Lang::Zh ? "：" + pr.message_zh : ": " + pr.message_en);
    }
    return result;
  }
  return keep_prepared(policy, subject, converted, *scratch);
}

PreparedInput prepare_input_text(const Policy& policy, std::string_view text, const EvalOptions& options) {
  const Program& p = policy.program();
  const SubjectInfo* subject = pick_subject(p, options.subject);
  {
    ThreadLease<ValueArena, reset_arena> scratch;
    Value converted;
    if (convert_text(p, subject, text, options, *scratch, converted)) return keep_prepared(policy, subject, converted, *scratch);
  }
  // Invalid (or over a limit): the DOM path names every problem with its JSON path.
  nlohmann::json j;
  std::string zh, en;
  if (!parse_json_limited(text, options.limits.max_input_bytes, options.limits.max_json_depth, j, zh, en)) {
    PreparedInput r;
    r.input_error = "$: " + (options.lang == Lang::Zh ? zh : en);
    return r;
  }
  return prepare_input(policy, j, options);
}

EvalResult evaluate_json(const Policy& policy, const nlohmann::json& input, const EvalOptions& options) {
  PreparedInput prepared = prepare_input(policy, input, options);
  return evaluate_prepared(policy, prepared, options);
}

namespace {
void evaluate_record(const Program& p, const SubjectInfo* subject, const Value& record, const EvalOptions& options, Report& report);
}

EvalResult evaluate_prepared(const Policy& policy, const PreparedInput& input, const EvalOptions& options) {
  EvalResult result;
  evaluate_prepared(policy, input, result, options);
  return result;
}

void evaluate_prepared(const Policy& policy, const PreparedInput& input, EvalResult& result, const EvalOptions& options) {
  const Program& p = policy.program();
  const SubjectInfo* subject = pick_subject(p, options.subject);
  result.input_error.clear();
  if (!input.ok() || !subject || input.subject != subject) {
    { ReportBuilder empty(result.report); }  // a report with nothing in it, the earlier record's gone
    if (!input.ok()) result.input_error = input.input_error.empty() ? "no input" : input.input_error;
    else result.input_error = options.lang == Lang::Zh ? "输入不是为对象 " + options.subject + " 准备的"
                                                       : "the input was not prepared for subject " + options.subject;
    return;
  }
  evaluate_record(p, subject, static_cast<const PreparedRecord*>(input.record.get())->value, options, result.report);
}

namespace {
void evaluate_record(const Program& p, const SubjectInfo* subject, const Value& record, const EvalOptions& options, Report& into) {
  // One context per thread, reused from record to record: its vectors keep their capacity, so the
  // bookkeeping of a record allocates nothing.
  ThreadLease<EvalContext, clear_context> lease;
  EvalContext& ctx = *lease;
  ctx.program = &p;
  ctx.subject = subject;
  ctx.input = record;
  ctx.input_fields = record.kind == ValueKind::Record ? record.rec().fields.data() : nullptr;
  ctx.lets.resize(p.lets.size());
  ctx.let_state.resize(p.lets.size());
  std::fill(ctx.let_state.begin(), ctx.let_state.end(), 0);
  ctx.outputs.resize(p.outputs.size());
  ctx.output_state.resize(p.outputs.size());
  std::fill(ctx.output_state.begin(), ctx.output_state.end(), 0);
  ctx.limits = options.limits;
  ctx.use_fast = options.fast_path;
  ReportBuilder report(into);
  Evaluator ev(ctx);
  FastEnv env = ev.fast_env(nullptr);  // each rule sets its frame
  // Every rule runs, in order (一次告知); each gets the full step budget, so that one expensive
  // rule cannot starve the others.
  for (const RulePlan& plan : subject->plans) {
    ctx.steps_left = options.limits.max_steps;
    ctx.depth = 0;
    evaluate_rule(plan, ev, env, report, options.lang);
  }
  for (const Decl* out : subject->outputs) {
    ctx.steps_left = options.limits.max_steps;
    ctx.depth = 0;
    // Most outputs are a number (a fee, a count), a bool or a date computed by the compiled form:
    // written into the report's JSON as it comes, without a Value and a JSON value in between.
    FastSlot scalar;
    Rep rep;
    if (ev.output_scalar(out->index, scalar, rep)) {
      OutputValue& o = report.add_value();
      name_output(o, *out);
      set_json(o.value, scalar, rep);
      continue;
    }
    Value v;
    try {
      v = ev.output_value(out->index);
    } catch (const EvalLimitExceeded& e) {
      v = Value::error(out->name_span, e.message_zh, e.what());
    }
    if (v.is_error()) {
      Finding f = make_finding(*out, options.lang == Lang::Zh
                                         ? "无法计算“" + (out->label.empty() ? out->name : out->label) + "”：" + error_text(v, options.lang)
                                         : "output " + out->name + " could not be computed: " + error_text(v, options.lang),
                               out->name);
      f.code = "EVALUATION-ERROR";
      f.severity = FindingSeverity::Error;
      report.add(std::move(f));
      continue;
    }
    if (!v.is_absent()) {
      OutputValue& o = report.add_value();
      name_output(o, *out);
      o.value = value_to_json(v);
    }
  }
}
}  // namespace

EvalResult evaluate_json_text(const Policy& policy, std::string_view text, const EvalOptions& options) {
  EvalResult result;
  evaluate_json_text(policy, text, result, options);
  return result;
}

void evaluate_json_text(const Policy& policy, std::string_view text, EvalResult& result, const EvalOptions& options) {
  // The common case, a valid record, is converted into an arena of this thread that is emptied, not
  // freed, after the evaluation: a record then costs no allocation for its own objects (only for
  // long strings). Anything else takes the PreparedInput path, which reports every problem.
  ThreadLease<ValueArena, reset_arena> arena;
  const Program& p = policy.program();
  const SubjectInfo* subject = pick_subject(p, options.subject);
  Value record;
  if (convert_text(p, subject, text, options, *arena, record)) {
    result.input_error.clear();
    evaluate_record(p, subject, record, options, result.report);
  } else {
    evaluate_prepared(policy, prepare_input_text(policy, text, options), result, options);
  }
}

TestSummary run_policy_tests(const Policy& policy, const EvalOptions& options) {
  TestSummary summary;
  const Program& p = policy.program();
  std::set<std::string> raised;
  bool zh = options.lang == Lang::Zh;
  for (auto& subject : p.subjects) {
    for (const Decl* test : subject.tests) {
      auto fail = [&](Span span, const std::string& message) {
        TestFailure f;
        f.test = test->name;
        f.file = span.file ? span.file->path : "";
        if (span.file) span.file->line_col(span.begin, f.line, f.column);
        f.message = message;
        summary.failures.push_back(f);
      };
      // Counted before the input is read: a test whose input is missing or not JSON has failed.
      size_t failures_before = summary.failures.size();
      nlohmann::json input;
      std::string zh_err, en_err;
      bool ok = true;
      if (!test->input_file.empty()) {
        std::string path = join_path(directory_of(test->span.file->path), test->input_file);
        std::string text;
        const std::string* mem = policy.data_file(path);
        if (mem) text = *mem;
        else if (!p.from_disk || !read_file(path, text)) {
          fail(test->input_span, zh ? "找不到输入文件 " + path : "input file not found: " + path);
          ok = false;
        }
        if (ok && !parse_json_limited(text, options.limits.max_input_bytes, options.limits.max_json_depth, input, zh_err, en_err)) {
          fail(test->input_span, path + ": " + (zh ? zh_err : en_err));
          ok = false;
        }
      } else if (!test->input_inline.empty()) {
        if (!parse_json_limited(test->input_inline, options.limits.max_input_bytes, options.limits.max_json_depth, input, zh_err, en_err)) {
          fail(test->input_span, zh ? zh_err : en_err);
          ok = false;
        }
      }
      if (ok && !test->input_patch.empty()) {
        nlohmann::json patch;
        if (!parse_json_limited(test->input_patch, options.limits.max_input_bytes, options.limits.max_json_depth, patch, zh_err, en_err)) {
          fail(test->input_span, zh ? zh_err : en_err);
          ok = false;
        } else {
          merge_patch(input, patch);
        }
      }
      if (ok) {
        EvalOptions eo = options;
        eo.subject = subject.name;
        EvalResult r = evaluate_json(policy, input, eo);
        if (!r.ok()) {
          fail(test->input_span, (zh ? "输入无效：" : "invalid input: ") + r.input_error);
        } else {
          std::vector<std::string> codes;
          for (auto& f : r.report.findings) {
            codes.push_back(f.code);
            raised.insert(f.code);
          }
          std::string actual;
          for (auto& c : codes) actual += (actual.empty() ? "" : ", ") + c;
          if (actual.empty()) actual = zh ? "（无）" : "(none)";
          auto has = [&](const std::string& c) { return std::find(codes.begin(), codes.end(), c) != codes.end(); };
          for (auto& x : test->expectations) {
            switch (x.kind) {
              case TestExpectation::Raised:
                for (auto& c : x.codes)
                  if (!has(c)) fail(x.span, (zh ? "期望触发 " + c + "，但没有触发（实际：" : "expected " + c + " to be raised (actual: ") + actual + (zh ? "）" : ")"));
                break;
              case TestExpectation::NotRaised:
                for (auto& c : x.codes)
                  if (has(c)) fail(x.span, (zh ? "期望不触发 " + c + "，但触发了（实际：" : "expected " + c + " not to be raised (actual: ") + actual + (zh ? "）" : ")"));
                break;
              case TestExpectation::Only: {
                std::set<std::string> want(x.codes.begin(), x.codes.end()), got(codes.begin(), codes.end());
                if (want != got) {
                  std::string w;
                  for (auto& c : want) w += (w.empty() ? "" : ", ") + c;
                  if (w.empty()) w = zh ? "（无）" : "(none)";
                  fail(x.span, (zh ? "期望恰好触发 " + w + "，实际：" : "expected exactly " + w + ", actual: ") + actual);
                }
                break;
              }
              case TestExpectation::Decision: {
                std::string got = r.report.pass ? "pass" : "fail";
                if (got != x.name) fail(x.span, (zh ? "期望结论 " + x.name + "，实际 " : "expected decision " + x.name + ", got ") + got + " (" + actual + ")");
                break;
              }
              case TestExpectation::Output: {
                EvalContext ctx;
                ctx.program = &p;
                ctx.steps_left = options.limits.max_steps;
                ctx.limits = options.limits;
                Evaluator ev(ctx);
                std::vector<Value> frame(4);
                Value want = ev.eval(*x.value, frame.data());
                nlohmann::json want_json = value_to_json(want);
                const nlohmann::json* it = r.report.value(x.name);
                if (!it) fail(x.span, (zh ? "输出 " + x.name + " 没有值" : "output " + x.name + " has no value"));
                else if (*it != want_json)
                  fail(x.span, (zh ? "输出 " + x.name + " 期望为 " : "output " + x.name + ": expected ") + want_json.dump() + (zh ? "，实际为 " : ", got ") + it->dump());
                break;
              }
            }
          }
        }
      }
      if (summary.failures.size() == failures_before) ++summary.passed;
      else ++summary.failed;
    }
  }
  summary.codes_raised.assign(raised.begin(), raised.end());
  return summary;
}

nlohmann::json TestSummary::to_json() const {
  nlohmann::json j = {{"passed", passed}, {"failed", failed}, {"codes_raised", codes_raised}};
  nlohmann::json fs = nlohmann::json::array();
  for (auto& f : failures) fs.push_back({{"test", f.test}, {"file", f.file}, {"line", f.line}, {"column", f.column}, {"message", f.message}});
  j["failures"] = fs;
  return j;
}

ExpressionResult evaluate_expression(const std::string& text, const nlohmann::json& bindings, bool check, Lang lang,
                                     const Limits& limits) {
  ExpressionResult result;
  SourceFile file("<expr>", text);
  DiagnosticSink sink;
  ExprPtr expr = parse_expression(file, sink);
  std::vector<ExpressionBinding> decls;
  std::vector<Value> values;
  if (bindings.is_object()) {
    for (auto it = bindings.begin(); it != bindings.end(); ++it) {
      values.push_back(json_to_dynamic(it.value()));
      decls.push_back(ExpressionBinding{it.key(), check ? dynamic_type_of(values.back()) : types::dyn()});
    }
  }
  int frame_size = 0;
  if (expr) frame_size = check_expression(*expr, decls, check, sink, FunctionRegistry::standard());
  if (!expr || sink.has_errors()) {
    result.status = ExpressionResult::CompileError;
    result.error = render_diagnostics(sink.items, lang);
    std::string first = sink.items.empty() ? "" : diagnostic_message(sink.items.front(), lang);
    result.json = {{"error", first}};
    return result;
  }
  Value v = evaluate_standalone(*expr, std::move(values), frame_size, limits);
  if (v.is_error()) {
    result.status = ExpressionResult::EvalError;
    result.error = lang == Lang::Zh ? v.err().message_zh : v.err().message_en;
    result.json = {{"error", result.error}};
    return result;
  }
  result.literal = value_literal(v);
  std::string type = value_type_name(v);
  nlohmann::json value;
  switch (v.kind) {
    case ValueKind::Int: value = std::to_string(v.i); break;
    case ValueKind::Uint: value = std::to_string(v.u); break;
    default: value = value_to_json(v);
  }
  if (v.kind == ValueKind::Int || v.kind == ValueKind::Uint) value = v.kind == ValueKind::Int ? nlohmann::json(v.i) : nlohmann::json(v.u);
  result.json = {{"type", type}, {"value", value}};
  return result;
}

}  // namespace zhiping
