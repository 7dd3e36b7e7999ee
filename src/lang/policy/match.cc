// Wildcards, policy variables and ARN components (IAM User Guide: "IAM policy elements:
// variables and tags", "Condition operators: ARN condition operators").
#include "lang/policy/match.h"

#include <cctype>

namespace nimbus::policy {
namespace {

// ARNs have six components: arn:partition:service:region:account:resource.
constexpr int kArnComponents = 6;

char fold(char c, bool ignore_case) {
  return ignore_case ? char(std::tolower(static_cast<unsigned char>(c))) : c;
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

void append(Pattern& p, std::string_view s, bool literal) {
  p.text.append(s);
  p.literal.insert(p.literal.end(), s.size(), literal);
}

// Splits an ARN (or ARN pattern) into its six components; false when it has fewer.
bool split_arn(std::string_view s, std::vector<std::pair<size_t, size_t>>& parts) {
  parts.clear();
  size_t start = 0;
  for (int i = 0; i < kArnComponents - 1; ++i) {
    size_t colon = s.find(':', start);
    if (colon == std::string_view::npos) return false;
    parts.emplace_back(start, colon - start);
    start = colon + 1;
  }
  parts.emplace_back(start, s.size() - start);
  return true;
}

}  // namespace

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void Context::set(std::string_view key, std::string value) {
  keys_[to_lower(key)] = {std::move(value)};
}

void Context::set_all(std::string_view key, std::vector<std::string> values) {
  keys_[to_lower(key)] = std::move(values);
}

const std::vector<std::string>* Context::find(std::string_view key) const {
  auto it = keys_.find(to_lower(key));
  return it == keys_.end() ? nullptr : &it->second;
}

std::optional<Pattern> substitute(std::string_view text, const Context& ctx, bool enabled) {
  Pattern out;
  if (!enabled) {
    append(out, text, false);
    return out;
  }
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find("${", i);
    size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) {
      append(out, text.substr(i), false);
      break;
    }
    append(out, text.substr(i, open - i), false);
    std::string_view body = text.substr(open + 2, close - open - 2);
    i = close + 1;
    if (body == "*" || body == "?" || body == "$") {
      append(out, body, true);
      continue;
    }
    std::string key = trim(body);
    std::optional<std::string> fallback;
    // ${aws:username, 'default'}: the text between the quotes when the key is absent.
    if (size_t comma = body.find(','); comma != std::string_view::npos) {
      key = trim(body.substr(0, comma));
      std::string rest = trim(body.substr(comma + 1));
      if (rest.size() >= 2 && rest.front() == '\'' && rest.back() == '\'')
        fallback = rest.substr(1, rest.size() - 2);
    }
    const std::vector<std::string>* v = ctx.find(key);
    if (v && !v->empty()) append(out, v->front(), true);
    else if (fallback) append(out, *fallback, true);
    else return std::nullopt;
  }
  return out;
}

bool wildcard_match(const Pattern& p, std::string_view v, bool ignore_case) {
  // Iterative glob with one backtrack point: linear in practice, no recursion.
  size_t pi = 0, vi = 0, star = std::string::npos, mark = 0;
  const std::string& t = p.text;
  while (vi < v.size()) {
    if (pi < t.size() && !p.literal[pi] && t[pi] == '*') {
      star = pi++;
      mark = vi;
    } else if (pi < t.size() &&
               ((!p.literal[pi] && t[pi] == '?') || fold(t[pi], ignore_case) == fold(v[vi], ignore_case))) {
      ++pi;
      ++vi;
    } else if (star != std::string::npos) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < t.size() && !p.literal[pi] && t[pi] == '*') ++pi;
  return pi == t.size();
}

bool wildcard_match(std::string_view pattern, std::string_view value, bool ignore_case) {
  Pattern p;
  append(p, pattern, false);
  return wildcard_match(p, value, ignore_case);
}

bool arn_match(const Pattern& p, std::string_view arn) {
  if (p.text == "*" && !p.literal[0]) return true;
  std::vector<std::pair<size_t, size_t>> pp, vp;
  if (!split_arn(p.text, pp) || !split_arn(arn, vp)) return false;
  for (int i = 0; i < kArnComponents; ++i) {
    Pattern part;
    part.text = p.text.substr(pp[i].first, pp[i].second);
    part.literal.assign(p.literal.begin() + pp[i].first, p.literal.begin() + pp[i].first + pp[i].second);
    if (!wildcard_match(part, arn.substr(vp[i].first, vp[i].second), false)) return false;
  }
  return true;
}

}  // namespace nimbus::policy
