#include "api_contract.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "openapi_document.hpp"

namespace gridcase::testing {
namespace {

using nlohmann::json;

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    segments.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

std::string lowercase(std::string_view text) {
  std::string result{text};
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return result;
}

/// "application/json" of "application/json; charset=utf-8".
std::string media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return lowercase(type);
}

bool is_json(std::string_view type) {
  return type == "application/json" || type.ends_with("+json");
}

/// valijson 1.0 checks `format` on a value of any type (null reads as "", not a date): a schema
/// that takes null or a formatted string becomes `anyOf: [null, the string]`, as JSON Schema
/// means it. Applied to the whole document, in place.
void null_before_format(json& node) {
  if (node.is_array()) {
    for (json& item : node) null_before_format(item);
    return;
  }
  if (!node.is_object()) return;
  for (auto& [key, value] : node.items()) null_before_format(value);
  if (!node.contains("format") || !node.contains("type") || !node.at("type").is_array()) return;
  json types = json::array();
  bool takes_null = false;
  for (const json& type : node.at("type")) {
    if (type == "null") {
      takes_null = true;
    } else {
      types.push_back(type);
    }
  }
  if (!takes_null) return;
  json value = node;
  value["type"] = types.size() == 1 ? types.at(0) : types;
  node = json{{"anyOf", json::array({json{{"type", "null"}}, value})}};
}

json with_null_before_format(json document) {
  null_before_format(document);
  return document;
}

/// One segment of a path template: literal text, or a pattern when it holds a parameter
/// (`{case_no}`, or one inside text like Open311's `discovery.{format}`).
struct Segment {
  std::string text;
  std::optional<std::regex> pattern;
  std::size_t literal_characters = 0;

  explicit Segment(std::string segment) : text(std::move(segment)) {
    if (text.find('{') == std::string::npos) {
      literal_characters = text.size();
      return;
    }
    static const std::regex kParameter{R"(\{[^}]*\})"};
    std::string expression;
    std::size_t at = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kParameter);
         it != std::sregex_iterator(); ++it) {
      const std::string literal = text.substr(at, static_cast<std::size_t>(it->position()) - at);
      literal_characters += literal.size();
      expression += escaped(literal) + "(.+)";
      at = static_cast<std::size_t>(it->position() + it->length());
    }
    literal_characters += text.size() - at;
    expression += escaped(text.substr(at));
    pattern.emplace(expression);
  }

  bool matches(const std::string& segment) const {
    return pattern ? std::regex_match(segment, *pattern) : segment == text;
  }

 private:
  static std::string escaped(const std::string& literal) {
    static const std::regex kSpecial{R"([.^$|()\[\]{}*+?\\])"};
    return std::regex_replace(literal, kSpecial, R"(\$&)");
  }
};

struct PathTemplate {
  std::string pattern;
  std::vector<Segment> segments;
  std::size_t literals = 0;  // literal characters: the most specific template wins
};

class Contract {
 public:
  Contract() : document_(with_null_before_format(openapi_document())) {
    for (const auto& [pattern, item] : document_.at("paths").items()) {
      PathTemplate path{pattern, {}, 0};
      for (std::string& segment : split_path(pattern)) {
        path.segments.emplace_back(std::move(segment));
        path.literals += path.segments.back().literal_characters;
      }
      paths_.push_back(std::move(path));
    }
  }

  /// The template `path` matches with the most literal segments, or null.
  const PathTemplate* match(std::string_view path) const {
    const std::vector<std::string> segments = split_path(path);
    const PathTemplate* best = nullptr;
    for (const PathTemplate& candidate : paths_) {
      if (candidate.segments.size() != segments.size()) continue;
      bool matches = true;
      for (std::size_t i = 0; i < segments.size() && matches; ++i) {
        matches = candidate.segments[i].matches(segments[i]);
      }
      if (matches && (best == nullptr || candidate.literals > best->literals)) best = &candidate;
    }
    return best;
  }

  const json& document() const { return document_; }

  /// `node` itself, or what its `$ref` (a local JSON pointer) names.
  const json& resolve(const json& node) const {
    if (!node.is_object() || !node.contains("$ref")) return node;
    const std::string reference = node.at("$ref").get<std::string>();
    return resolve(document_.at(json::json_pointer(reference.substr(1))));
  }

  /// Validates `body` against `schema` (a node of the document), compiled once per node.
  std::vector<std::string> validate(const json& schema, const json& body) {
    valijson::Schema* compiled = nullptr;
    {
      const std::lock_guard lock{mutex_};
      std::unique_ptr<valijson::Schema>& slot = schemas_[&schema];
      if (!slot) {
        // The schema's `$ref`s name `#/components/...`: compile it under a root that has them.
        const json root{{"components", document_.at("components")},
                        {"allOf", json::array({schema})}};
        slot = std::make_unique<valijson::Schema>();
        valijson::SchemaParser parser{valijson::SchemaParser::kDraft7};
        parser.populateSchema(valijson::adapters::NlohmannJsonAdapter{root}, *slot);
      }
      compiled = slot.get();
    }
    valijson::Validator validator{valijson::Validator::kStrongTypes};
    valijson::ValidationResults results;
    std::vector<std::string> problems;
    if (validator.validate(*compiled, valijson::adapters::NlohmannJsonAdapter{body}, &results)) {
      return problems;
    }
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      std::string where;
      for (const std::string& step : error.context) where += step;
      problems.push_back(where + ": " + error.description);
    }
    return problems;
  }

 private:
  const json document_;
  std::vector<PathTemplate> paths_;
  std::mutex mutex_;
  std::map<const json*, std::unique_ptr<valijson::Schema>> schemas_;
};

Contract& contract() {
  static Contract instance;
  return instance;
}

/// `object[key]`, or an empty object.
const json& member(const json& object, const char* key) {
  static const json kNone = json::object();
  return object.contains(key) ? object.at(key) : kNone;
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

/// The operation's key in its path item: "get" for GET and HEAD.
std::string operation_key(std::string_view method) {
  const std::string key = lowercase(method);
  return key == "head" ? "get" : key;
}

bool closes_connection(const HttpResponse& response) {
  const std::optional<std::string> connection = response.header("Connection");
  return connection && lowercase(*connection) == "close";
}

/// The documented answer `response` is, or null: the operation's own for its status (or its
/// `4XX` / `default`), else one the document allows on every route when this one applies.
const json* documented_answer(const json* operation, bool path_known, const HttpResponse& response,
                              std::string& why_not) {
  const std::string status = std::to_string(response.status);
  if (operation != nullptr) {
    const json& answers = operation->at("responses");
    for (const std::string& key : {status, status.substr(0, 1) + "XX", std::string{"default"}}) {
      if (answers.contains(key)) return &contract().resolve(answers.at(key));
    }
  }
  const json& any = member(contract().document(), "x-any-route-responses");
  if (any.contains(status)) {
    // 400 there is a request HTTP cannot parse (the connection closes); 404 a path no route
    // has; 405 a path that has routes, none for this method.
    const bool applies = (status != "400" || closes_connection(response)) &&
                         (status != "404" || !path_known) &&
                         (status != "405" || (path_known && operation == nullptr));
    if (applies) return &contract().resolve(any.at(status));
  }
  why_not = "status " + status + " is not documented for this operation";
  return nullptr;
}

}  // namespace

std::string contract_route(std::string_view method, std::string_view target,
                           const HttpResponse& response) {
  const PathTemplate* path = contract().match(path_of(target));
  return std::string{method} + " " + (path != nullptr ? path->pattern : "(no route)") + " " +
         std::to_string(response.status);
}

std::vector<std::string> contract_violations(std::string_view method, std::string_view target,
                                             const HttpResponse& response) {
  Contract& contract = testing::contract();
  const PathTemplate* path = contract.match(path_of(target));
  const json* operation = nullptr;
  if (path != nullptr) {
    const json& item = contract.document().at("paths").at(path->pattern);
    const std::string key = operation_key(method);
    if (item.contains(key)) operation = &item.at(key);
  }
  std::string why_not;
  const json* answer = documented_answer(operation, path != nullptr, response, why_not);
  if (answer == nullptr) return {why_not};

  const std::optional<std::string> content_type = response.header("Content-Type");
  const json& contents = member(*answer, "content");
  if (!content_type) {
    if (!response.body.empty()) return {"a body without Content-Type"};
    if (!contents.empty() && method != "HEAD") return {"no body, where the document has one"};
    return {};
  }
  const std::string type = media_type(*content_type);
  const json* documented = nullptr;
  for (const auto& [key, value] : contents.items()) {
    if (media_type(key) == type) documented = &value;
  }
  if (documented == nullptr) {
    return {"Content-Type " + type + " is not documented for status " +
            std::to_string(response.status)};
  }
  const json& media = *documented;
  if (method == "HEAD" || !is_json(type) || !media.contains("schema")) return {};
  json body;
  try {
    body = json::parse(response.body);
  } catch (const json::parse_error& error) {
    return {std::string{"the body is not JSON: "} + error.what()};
  }
  return contract.validate(media.at("schema"), body);
}

void check_against_contract(std::string_view method, std::string_view target,
                            const HttpResponse& response) {
  for (const std::string& violation : contract_violations(method, target, response)) {
    ADD_FAILURE() << "docs/openapi.yaml: " << method << " " << target << " answered "
                  << response.status << ": " << violation
                  << "\n  body: " << response.body.substr(0, 400);
  }
  static std::mutex mutex;
  static std::set<std::string> seen;
  const std::string route = contract_route(method, target, response);
  const std::lock_guard lock{mutex};
  if (!seen.insert(route).second) return;
  const char* configured = std::getenv("GRIDCASE_CONTRACT_SEEN");
  std::ofstream file{configured != nullptr ? configured : GRIDCASE_CONTRACT_SEEN, std::ios::app};
  file << route << '\n';
}

}  // namespace gridcase::testing
