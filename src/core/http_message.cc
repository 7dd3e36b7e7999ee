// Case-insensitive header lookup and request bodies that may live on disk.
#include "core/http_message.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace nimbus {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  return r;
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& h : items_)
    if (iequals(h.name, name)) return std::string_view(h.value);
  return std::nullopt;
}

std::vector<std::string_view> Headers::all(std::string_view name) const {
  std::vector<std::string_view> r;
  for (const auto& h : items_)
    if (iequals(h.name, name)) r.emplace_back(h.value);
  return r;
}

void Headers::add(std::string name, std::string value) {
  items_.push_back({std::move(name), std::move(value)});
}

void Headers::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  items_.erase(std::remove_if(items_.begin(), items_.end(),
                              [&](const Header& h) { return iequals(h.name, name); }),
               items_.end());
}

std::string RequestBody::read_all() const {
  if (!on_disk()) return data;
  std::ifstream in(file_path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RequestBody::~RequestBody() {
  if (on_disk()) std::remove(file_path.c_str());
}

RequestBody::RequestBody(RequestBody&& o) noexcept
    : data(std::move(o.data)), file_path(std::move(o.file_path)), size(o.size) {
  o.file_path.clear();
  o.size = 0;
}

RequestBody& RequestBody::operator=(RequestBody&& o) noexcept {
  if (this != &o) {
    if (on_disk()) std::remove(file_path.c_str());
    data = std::move(o.data);
    file_path = std::move(o.file_path);
    size = o.size;
    o.file_path.clear();
    o.size = 0;
  }
  return *this;
}

}  // namespace nimbus
