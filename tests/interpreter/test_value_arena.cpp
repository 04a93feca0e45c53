// Value ownership: objects made outside an arena are counted, objects made inside one are owned by
// it and never counted, and an arena that is reset reuses its memory for the next record.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "interpreter/value.hpp"

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
  // The arena lists the objects it must destroy: three pairs and the outer list. The three strings
  // live in its memory too, but own nothing else, so they are not listed.
  CHECK(arena.size() == 3 + 1);
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
