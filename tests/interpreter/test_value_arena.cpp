// Value ownership: objects made outside an arena are counted, objects made inside one are owned by
// it and never counted, and an arena that is reset reuses its memory for the next record.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "interpreter/value.hpp"
#include "lang/types.hpp"

using zhiping::ArenaScope;
using zhiping::Value;
using zhiping::ValueArena;

namespace {
// A list of `n` records-like lists holding strings long enough to live outside the object.
Value make_tree(int n, const std::string& tag) {
  std::vector<Value> items;
  for (int i = 0; i < n; ++i)
    items.push_back(Value::list({Value::string(tag + " 第" + std::to_string(i) + "项，足够长以免短字符串优化"), Value::int64(i)}));
  return Value::list(std::move(items));
}
void check_tree(const Value& v, int n, const std::string& tag) {
  REQUIRE(v.items().size() == static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    CHECK(v.items()[i].items()[0].str() == tag + " 第" + std::to_string(i) + "项，足够长以免短字符串优化");
    CHECK(v.items()[i].items()[1].i == i);
  }
}
}  // namespace

TEST_CASE("values made outside an arena are counted; inside one, owned by the arena", "[value][arena]") {
  Value counted = Value::string("a string long enough to be on the heap");
  CHECK(counted.counted == 1);
  CHECK(counted.object->refs == 1);
  {
    Value copy = counted;
    CHECK(counted.object->refs == 2);
  }
  CHECK(counted.object->refs == 1);

  ValueArena arena;
  Value owned;
  {
    ArenaScope scope(&arena);
    owned = make_tree(3, "x");
    CHECK(ValueArena::current() == &arena);
  }
  CHECK(ValueArena::current() == nullptr);
  CHECK(owned.counted == 0);
  Value copy = owned;  // no count is touched: the arena owns the objects
  CHECK(copy.counted == 0);
  check_tree(copy, 3, "x");
  // The arena lists only the objects it must destroy: these lists hold uncounted values and the
  // strings own nothing, so its blocks are all there is to free.
  CHECK(arena.size() == 0);

  // A list made in the arena that holds a counted value (made before) must give its count back.
  {
    ArenaScope scope(&arena);
    Value mixed = Value::list({counted, Value::int64(1)});
    CHECK(counted.object->refs == 2);
  }
  CHECK(arena.size() == 1);
  arena.reset();
  CHECK(counted.object->refs == 1);
}

TEST_CASE("copy_value makes every object anew, in one tight block, parents before children", "[value][arena]") {
  // The original is counted (made on the heap), with every kind of object a value can hold.
  zhiping::RecordType type;
  type.name = "T";
  Value original = Value::record(&type, {make_tree(4, "原"), Value::string("一个足够长的字符串，放在对象后面"),
                                         Value::map({{Value::string("键"), Value::date(19000)}}), Value::type("int"),
                                         Value::error({}, "错误", "error"), Value::timestamp(5, 7), Value::null()});
  ValueArena scratch, tight;
  Value converted;
  {
    ArenaScope scope(&scratch);
    converted = zhiping::copy_value(original);
  }
  tight.reserve(scratch.bytes());
  Value copy;
  {
    ArenaScope scope(&tight);
    copy = zhiping::copy_value(converted);
  }
  CHECK(tight.bytes() == scratch.bytes());
  for (const Value* v : {&converted, &copy}) {
    CHECK(v->counted == 0);
    CHECK(v->object != original.object);
    for (size_t i : {0, 1, 2, 5, 6}) CHECK(zhiping::values_equal(v->rec().fields[i], original.rec().fields[i]));
    CHECK(v->rec().type == &type);
    const auto& f = v->rec().fields;
    check_tree(f[0], 4, "原");
    CHECK(f[0].object != original.rec().fields[0].object);
    CHECK(f[1].str() == "一个足够长的字符串，放在对象后面");
    CHECK(f[2].entries().at(0).second.i == 19000);
    CHECK(f[3].type_obj().name == "int");
    CHECK(f[4].err().message_zh == "错误");
    CHECK((f[5].i == 5 && f[5].nanos == 7));
    CHECK(f[6].kind == zhiping::ValueKind::Null);
    // The record comes first in memory, then what it holds in field order: an evaluation that reads
    // a record's fields and then their contents walks forwards through the block.
    CHECK(static_cast<const void*>(v->object) < static_cast<const void*>(f[0].object));
    CHECK(static_cast<const void*>(f[0].object) < static_cast<const void*>(f[0].items()[0].object));
    CHECK(static_cast<const void*>(f[0].items()[3].object) < static_cast<const void*>(f[1].object));
  }
  // The map, type and error own heap memory of their own: only they are listed for destruction.
  CHECK(tight.size() == 3);
  CHECK(original.counted == 1);
}

TEST_CASE("an arena that is reset gives correct values record after record, small and large", "[value][arena]") {
  ValueArena arena;
  // Sizes that fit the first block, overflow it into several blocks, and need a block of their own.
  for (int n : {1, 5, 40, 400, 3, 2000, 7, 0, 60}) {
    std::string tag = "第" + std::to_string(n) + "轮";
    {
      ArenaScope scope(&arena);
      Value v = make_tree(n, tag);
      check_tree(v, n, tag);
    }
    arena.reset();
    CHECK(arena.size() == 0);
  }
}

TEST_CASE("copy_value from one arena copies only that arena's objects and shares the rest", "[value][arena]") {
  ValueArena program_arena, scratch, tight;
  Value shared;
  {
    ArenaScope scope(&program_arena);
    shared = Value::string("程序自己的取值，比短字符串长");
  }
  Value converted;
  {
    ArenaScope scope(&scratch);
    converted = Value::list({shared, Value::string("这条记录自己的文本，比短字符串长"), Value::list({shared})});
  }
  CHECK(scratch.owns(converted.object));
  CHECK_FALSE(scratch.owns(shared.object));
  tight.reserve(scratch.bytes());
  Value copy;
  {
    ArenaScope scope(&tight);
    copy = zhiping::copy_value(converted, &scratch);
  }
  CHECK(tight.bytes() == scratch.bytes());
  CHECK(tight.owns(copy.object));
  CHECK(copy.items()[0].object == shared.object);
  CHECK(copy.items()[2].items()[0].object == shared.object);
  CHECK(tight.owns(copy.items()[1].object));
  CHECK(copy.items()[1].str() == "这条记录自己的文本，比短字符串长");
  CHECK(tight.block_count() == 1);
  // Without `from`, everything is copied.
  ValueArena all;
  {
    ArenaScope scope(&all);
    Value full = zhiping::copy_value(converted);
    CHECK(full.items()[0].object != shared.object);
    CHECK(full.items()[0].str() == shared.str());
  }
}

TEST_CASE("a reserved arena holds a copy in one block, however big its objects", "[value][arena]") {
  // A list bigger than half of everything: an arena that grows block by block gives such an object a
  // block of its own; a reserved one holds it in the one block it was given.
  ValueArena scratch, tight;
  Value converted;
  {
    ArenaScope scope(&scratch);
    std::vector<Value> numbers;
    for (int i = 0; i < 2000; ++i) numbers.push_back(Value::int64(i));
    converted = Value::list({Value::string("列表之前的一段文本，比短字符串长"), Value::list(std::move(numbers))});
  }
  CHECK(scratch.block_count() > 1);
  tight.reserve(scratch.bytes());
  Value copy;
  {
    ArenaScope scope(&tight);
    copy = zhiping::copy_value(converted, &scratch);
  }
  CHECK(tight.block_count() == 1);
  CHECK(tight.bytes() == scratch.bytes());
  REQUIRE(copy.items()[1].items().size() == 2000);
  CHECK(copy.items()[1].items()[1999].i == 1999);
  CHECK(copy.items()[0].str() == "列表之前的一段文本，比短字符串长");
}

TEST_CASE("same_text agrees with == for every length and every differing byte", "[value]") {
  // same_text reads short texts in overlapping words (value.hpp): every length up to past the
  // 16 bytes where it hands over to memcmp, equal texts and texts differing in any one byte, at
  // unaligned places in a larger buffer, and texts of different lengths with a common prefix.
  std::string buffer(128, '\0');
  for (size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<char>('a' + i * 7 % 26);
  size_t checked = 0, wrong = 0;
  for (size_t n = 0; n <= 40; ++n) {
    for (size_t offset : {0, 1, 3, 5}) {
      std::string a = buffer.substr(offset, n);
      std::string b = a;
      wrong += !zhiping::same_text(a, b);
      for (size_t k = 0; k < n; ++k) {
        std::string c = a;
        c[k] = static_cast<char>(c[k] ^ 0x40);
        wrong += zhiping::same_text(a, c) || zhiping::same_text(c, a);
        ++checked;
      }
      if (n > 0) wrong += zhiping::same_text(a, a.substr(0, n - 1));
      wrong += zhiping::same_text(std::string_view(buffer).substr(offset, n), std::string_view(buffer).substr(offset + 1, n)) !=
               (buffer.substr(offset, n) == buffer.substr(offset + 1, n));
    }
  }
  CHECK(checked > 3000);
  CHECK(wrong == 0);
  CHECK(zhiping::same_text("中小学教师", "中小学教师"));
  CHECK_FALSE(zhiping::same_text("中小学教师", "中小学教帅"));
}
