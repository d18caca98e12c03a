#include "open311_handlers.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "error_response.hpp"
#include "gridcase/domain/catalog.hpp"
#include "gridcase/domain/open311.hpp"
#include "gridcase/domain/text.hpp"
#include "gridcase/domain/time_text.hpp"
#include "gridcase/service/attachment_service.hpp"
#include "multipart.hpp"
#include "query_parameters.hpp"
#include "request_body.hpp"
#include "xml_writer.hpp"

namespace gridcase::http {
namespace {

using boost::asio::awaitable;
using domain::Open311Format;
using domain::throw_malformed;
using nlohmann::json;

constexpr std::string_view kChangeset = "2026-12-03T00:00:00Z";
constexpr std::string_view kSpecification = "http://wiki.open311.org/GeoReport_v2";
constexpr std::string_view kConditionAttribute = "attribute[condition]";

Open311Format format_of(const Request& request) {
  const auto found = request.path_params.find("format");
  if (found == request.path_params.end()) return Open311Format::kJson;
  if (found->second == "json") return Open311Format::kJson;
  if (found->second == "xml") return Open311Format::kXml;
  throw domain::Error(domain::ErrorCode::kNotFound, "the format must be json or xml");
}

Response document_response(const Request& request, Open311Format format, std::string body,
                           beast_http::status status = beast_http::status::ok) {
  Response response{status, request.message.version()};
  response.set(beast_http::field::content_type, format == Open311Format::kXml
                                                    ? "text/xml; charset=utf-8"
                                                    : "application/json; charset=utf-8");
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

/// A missing jurisdiction_id is this server's district (one jurisdiction); another is 404.
void require_jurisdiction(const Request& request, const service::Open311Service& open311) {
  const std::optional<std::string> given = query_text(request, "jurisdiction_id");
  if (given && *given != open311.jurisdiction()) {
    throw domain::Error(
        domain::ErrorCode::kNotFound,
        "jurisdiction_id not found: this server answers for " + open311.jurisdiction());
  }
}

json categories_of(const service::JsonText& text) {
  json document = json::parse(text.text, nullptr, false);
  if (document.is_discarded() || !document.contains("items")) return json::array();
  return document["items"];
}

const json* find_category(const json& categories, std::string_view key) {
  for (const json& category : categories) {
    if (category.value("key", "") == key) return &category;
  }
  return nullptr;
}

std::string joined(const json& conditions, const char* member, std::string_view separator) {
  std::string text;
  for (const json& condition : conditions) {
    if (!text.empty()) text += separator;
    text += condition.value(member, "");
  }
  return text;
}

// ---- services --------------------------------------------------------------------------------

struct ServiceFields {
  std::string code, name, description, keywords, group;
  bool metadata = false;
};

ServiceFields service_fields(const json& category) {
  const json& conditions = category.at("conditions");
  return {category.value("key", ""),        category.value("name", ""),
          joined(conditions, "text", "; "), joined(conditions, "id", ","),
          category.value("type", ""),       !conditions.empty()};
}

std::string services_document(const json& categories, Open311Format format) {
  if (format == Open311Format::kJson) {
    json list = json::array();
    for (const json& category : categories) {
      const ServiceFields s = service_fields(category);
      list.push_back({{"service_code", s.code},
                      {"service_name", s.name},
                      {"description", s.description},
                      {"metadata", s.metadata},
                      {"type", "realtime"},
                      {"keywords", s.keywords},
                      {"group", s.group}});
    }
    return list.dump();
  }
  XmlWriter xml;
  xml.open("services");
  for (const json& category : categories) {
    const ServiceFields s = service_fields(category);
    xml.open("service")
        .element("service_code", s.code)
        .element("service_name", s.name)
        .element("description", s.description)
        .element("metadata", s.metadata ? "true" : "false")
        .element("type", "realtime")
        .element("keywords", s.keywords)
        .element("group", s.group)
        .close();
  }
  return xml.close().finish();
}

constexpr std::string_view kConditionDescription =
    "What exactly is wrong (the filing condition); the command center confirms it when it "
    "registers the case";

std::string definition_document(const json& category, Open311Format format) {
  const std::string code = category.value("key", "");
  const json& conditions = category.at("conditions");
  if (format == Open311Format::kJson) {
    json values = json::array();
    for (const json& condition : conditions) {
      values.push_back({{"key", condition.value("id", "")}, {"name", condition.value("text", "")}});
    }
    json attributes = json::array();
    if (!conditions.empty()) {
      attributes.push_back({{"variable", true},
                            {"code", "condition"},
                            {"datatype", "singlevaluelist"},
                            {"required", false},
                            {"datatype_description", nullptr},
                            {"order", 1},
                            {"description", kConditionDescription},
                            {"values", std::move(values)}});
    }
    return json{{"service_code", code}, {"attributes", std::move(attributes)}}.dump();
  }
  XmlWriter xml;
  xml.open("service_definition").element("service_code", code).open("attributes");
  if (!conditions.empty()) {
    xml.open("attribute")
        .element("variable", "true")
        .element("code", "condition")
        .element("datatype", "singlevaluelist")
        .element("required", "false")
        .element("datatype_description", "")
        .element("order", "1")
        .element("description", kConditionDescription)
        .open("values");
    for (const json& condition : conditions) {
      xml.open("value")
          .element("key", condition.value("id", ""))
          .element("name", condition.value("text", ""))
          .close();
    }
    xml.close().close();
  }
  return xml.close().close().finish();
}

// ---- requests --------------------------------------------------------------------------------

std::optional<std::string> time_text(const std::optional<domain::Timestamp>& at) {
  if (!at) return std::nullopt;
  return domain::format_rfc3339(*at);
}

std::optional<std::string> number_text(const std::optional<double>& value) {
  if (!value) return std::nullopt;
  return json(*value).dump();
}

/// Where a request's report photo is served publicly (GET /open311/v2/media/{id}); relative,
/// like discovery's endpoint URLs.
std::optional<std::string> media_url(const service::PublicRequest& r) {
  if (!r.media) return std::nullopt;
  return "/open311/v2/media/" + *r.media;
}

std::string requests_document(const std::vector<service::PublicRequest>& found,
                              Open311Format format) {
  if (format == Open311Format::kJson) {
    json list = json::array();
    for (const service::PublicRequest& r : found) {
      json item = {{"service_request_id", r.case_no},
                   {"status", domain::open311_status(r.status)},
                   {"status_notes", r.status_notes ? json(*r.status_notes) : json()},
                   {"service_name", r.category_name ? json(*r.category_name) : json()},
                   {"service_code", r.category_key ? json(*r.category_key) : json()},
                   {"agency_responsible", r.agency ? json(*r.agency) : json()},
                   {"service_notice", nullptr},
                   {"requested_datetime", domain::format_rfc3339(r.requested_at)},
                   {"updated_datetime", domain::format_rfc3339(r.updated_at)},
                   {"address", r.address ? json(*r.address) : json()},
                   {"lat", r.lat ? json(*r.lat) : json()},
                   {"long", r.lon ? json(*r.lon) : json()}};
      const std::optional<std::string> media = media_url(r);
      item["media_url"] = media ? json(*media) : json();
      if (r.expected_at) item["expected_datetime"] = domain::format_rfc3339(*r.expected_at);
      list.push_back(std::move(item));
    }
    return list.dump();
  }
  XmlWriter xml;
  xml.open("service_requests");
  for (const service::PublicRequest& r : found) {
    xml.open("request")
        .element("service_request_id", r.case_no)
        .element("status", domain::open311_status(r.status))
        .element("status_notes", r.status_notes)
        .element("service_name", r.category_name)
        .element("service_code", r.category_key)
        .element("agency_responsible", r.agency)
        .element("service_notice", "")
        .element("requested_datetime", domain::format_rfc3339(r.requested_at))
        .element("updated_datetime", domain::format_rfc3339(r.updated_at));
    if (r.expected_at) xml.element("expected_datetime", time_text(r.expected_at));
    xml.element("address", r.address)
        .element("lat", number_text(r.lat))
        .element("long", number_text(r.lon))
        .element("media_url", media_url(r))
        .close();
  }
  return xml.close().finish();
}

/// The answer to a filing, or to a token: one request with its id and the other member.
std::string filed_document(std::string_view case_no, const std::optional<std::string>& token,
                           Open311Format format) {
  if (format == Open311Format::kJson) {
    json filed{{"service_request_id", case_no}};
    if (token) filed["token"] = *token;
    return json::array({filed}).dump();
  }
  XmlWriter xml;
  xml.open("service_requests").open("request").element("service_request_id", case_no);
  if (token) xml.element("token", *token);
  return xml.close().close().finish();
}

std::optional<domain::Timestamp> open311_time(const Request& request, std::string_view name) {
  const std::optional<std::string> text = query_text(request, name);
  if (!text) return std::nullopt;
  const std::optional<domain::Timestamp> at = domain::parse_rfc3339(*text);
  if (!at)
    throw_malformed(std::string(name),
                    "a date and time with its offset: 2026-11-25T08:00:00+08:00");
  return at;
}

// ---- filing ----------------------------------------------------------------------------------

/// The query's fields and `fields` together; a field in both is refused, as a field twice in
/// one of them is.
void merge_fields(Request& request, const std::map<std::string, std::string, std::less<>>& fields) {
  for (const auto& [name, value] : fields) {
    if (!request.query.emplace(name, value).second) {
      throw_malformed(name, "given twice");
    }
  }
}

/// A filing's body merged into the request's fields (the api_key may come in either): a form
/// (application/x-www-form-urlencoded), or multipart/form-data whose text parts are the form's
/// fields and whose one file part, `media`, is the report's photo (returned). docs/integrations.md,
/// "Filing with a photo".
std::optional<std::string> merge_filing_body(Request& request) {
  const std::string_view type = request.message[beast_http::field::content_type];
  if (!is_form_with_files(type)) {
    require_content_type(request, {"application/x-www-form-urlencoded", "multipart/form-data"});
    std::map<std::string, std::string, std::less<>> fields;
    try {
      fields = parse_query(request.message.body());
    } catch (const domain::Error& error) {
      throw_malformed("body", std::string(error.what()));
    }
    merge_fields(request, fields);
    return std::nullopt;
  }
  const std::optional<std::string> boundary = form_data_boundary(type);
  std::map<std::string, std::string, std::less<>> fields;
  std::optional<std::string> media;
  for (const FormPart& part : form_data_parts(request.message.body(), *boundary)) {
    if (part.file) {
      if (part.name != "media") {
        throw_malformed(part.name.empty() ? "body" : part.name,
                        "the one file of a filing is its photo, the part named media");
      }
      if (media) throw_malformed("media", "one photo per filing");
      media = std::string(part.content);
      continue;
    }
    if (part.name.empty()) throw_malformed("body", "a form-data part without a name");
    if (!domain::is_storable_text(part.content)) {
      throw_malformed(part.name, "not UTF-8 text without U+0000");
    }
    if (!fields.emplace(part.name, std::string(part.content)).second) {
      throw_malformed(part.name, "given twice");
    }
  }
  merge_fields(request, fields);
  return media;
}

/// What an Idempotency-Key's filing is compared by: a form body as sent; a multipart one by its
/// fields (but the api_key) in order and the SHA-256 of its photo's bytes, so that a retry with
/// another boundary is the same filing.
std::string filing_fingerprint(const Request& request, const std::optional<std::string>& media) {
  if (!is_form_with_files(request.message[beast_http::field::content_type])) {
    return request.message.body();
  }
  std::string fingerprint;
  for (const auto& [name, value] : request.query) {
    if (name == "api_key") continue;
    fingerprint += name + '\x1f' + value + '\x1e';
  }
  if (media) fingerprint += "media\x1f" + service::hex_of(service::sha256_of(*media));
  return fingerprint;
}

std::optional<std::string> nonempty_text(const Request& request, std::string_view name) {
  std::optional<std::string> text = query_text(request, name);
  if (text && text->empty()) return std::nullopt;
  return text;
}

/// The intake of an Open311 filing (docs/integrations.md, "Filing").
domain::NewCase intake_of(const Request& request, const json& category, domain::Channel channel) {
  domain::NewCase intake;
  intake.channel = channel;
  intake.category_key = category.value("key", "");
  const std::optional<double> lat = query_number(request, "lat");
  const std::optional<double> lon = query_number(request, "long");
  if (lat.has_value() != lon.has_value()) {
    throw_malformed(lat ? "long" : "lat", "lat and long go together");
  }
  if (lat) intake.point = domain::Point{*lon, *lat};
  intake.address = nonempty_text(request, "address_string");
  if (query_text(request, "address_id")) {
    throw_malformed("address_id", "not supported here: send lat and long, or address_string");
  }
  if (!intake.point && !intake.address) {
    throw_malformed("lat", "a location is required: lat and long, or address_string");
  }
  intake.description = nonempty_text(request, "description").value_or(category.value("name", ""));
  if (std::optional<std::string> condition = query_text(request, kConditionAttribute)) {
    const json* chosen = nullptr;
    for (const json& c : category.at("conditions")) {
      if (c.value("id", "") == *condition) chosen = &c;
    }
    if (chosen == nullptr)
      throw_malformed(std::string(kConditionAttribute), "not a value of the service definition");
    intake.description += "\n(" + chosen->value("text", "") + ")";
  }
  if (std::optional<std::string> media = nonempty_text(request, "media_url")) {
    intake.photos.push_back(std::move(*media));
  }
  std::string name = nonempty_text(request, "first_name").value_or("");
  if (std::optional<std::string> last = nonempty_text(request, "last_name")) {
    name += (name.empty() ? "" : " ") + *last;
  }
  std::optional<std::string> phone = nonempty_text(request, "phone");
  if (!name.empty() || phone) {
    intake.reporter = domain::Reporter{name.empty() ? std::nullopt : std::optional{name},
                                       std::move(phone), false};
  }
  return intake;
}

std::optional<service::IdempotencyRequest> idempotency_of(const Request& request,
                                                          const std::optional<std::string>& media) {
  const std::string_view key = request.message["Idempotency-Key"];
  if (key.empty()) return std::nullopt;
  const bool ok = key.size() <= 200 && std::all_of(key.begin(), key.end(),
                                                   [](char ch) { return ch > 0x20 && ch < 0x7F; });
  if (!ok) throw_malformed("Idempotency-Key", "1 to 200 visible ASCII characters");
  return service::IdempotencyRequest{std::string(key), "POST /open311/v2/requests",
                                     filing_fingerprint(request, media)};
}

/// Intake's field names as an Open311 client sent them.
std::string open311_field(const std::string& field) {
  if (field == "lon") return "long";
  if (field == "category") return "service_code";
  if (field == "address") return "address_string";
  if (field == "reporter.phone") return "phone";
  if (field == "reporter.name") return "first_name";
  if (field.starts_with("photos")) return "media_url";
  return field;
}

// ---- errors ----------------------------------------------------------------------------------

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

Open311Format error_format(const Request& request) {
  const std::string_view path = path_of(request.message.target());
  const std::optional<domain::Open311Resource> resource =
      domain::split_open311_format(path.substr(path.rfind('/') + 1));
  return resource ? resource->format : Open311Format::kJson;
}

}  // namespace

bool is_open311_target(std::string_view target) {
  return target.starts_with("/open311/") || target == "/open311";
}

Response open311_error_response(const domain::Error& error, const Request& request) {
  beast_http::status status = status_for(error.code());
  if (error.code() == domain::ErrorCode::kInvalidValue) status = beast_http::status::bad_request;
  if (error.code() == domain::ErrorCode::kUnauthenticated) status = beast_http::status::forbidden;
  const auto code = static_cast<unsigned>(status);
  std::vector<std::string> descriptions;
  for (const domain::FieldError& field : error.details().fields) {
    descriptions.push_back(open311_field(field.field) + ": " + field.message);
  }
  if (descriptions.empty()) descriptions.emplace_back(error.what());
  const Open311Format format = error_format(request);
  std::string body;
  if (format == Open311Format::kJson) {
    json list = json::array();
    for (const std::string& description : descriptions) {
      list.push_back({{"code", code}, {"description", description}});
    }
    body = list.dump();
  } else {
    XmlWriter xml;
    xml.open("errors");
    for (const std::string& description : descriptions) {
      xml.open("error")
          .element("code", std::to_string(code))
          .element("description", description)
          .close();
    }
    body = xml.close().finish();
  }
  Response response = document_response(request, format, std::move(body), status);
  if (error.details().retry_after) {
    response.set(beast_http::field::retry_after,
                 std::to_string(error.details().retry_after->count()));
  } else if (status == beast_http::status::service_unavailable) {
    response.set(beast_http::field::retry_after, "1");
  }
  return response;
}

Handler open311_discovery(const service::Open311Service& open311) {
  return [&open311](Request& request) -> awaitable<Response> {
    require_known_parameters(request, {});
    const Open311Format format = format_of(request);
    const std::string key_service =
        "Filing needs an api_key: an integration account's token (channel web or app) from "
        "the district's command center. Searches span at most 90 days (the last 90 by "
        "default) and answer at most " +
        std::to_string(domain::kOpen311PageCap) +
        " requests, newest first; reads are limited per client address (429).";
    const std::string contact = "The command center of district " + open311.jurisdiction();
    if (format == Open311Format::kJson) {
      const json document = {
          {"changeset", kChangeset},
          {"contact", contact},
          {"key_service", key_service},
          {"endpoints",
           json::array({{{"specification", kSpecification},
                         {"url", "/open311/v2"},
                         {"changeset", kChangeset},
                         {"type", "production"},
                         {"formats", json::array({"application/json", "text/xml"})}}})}};
      co_return document_response(request, format, document.dump());
    }
    XmlWriter xml;
    xml.open("discovery")
        .element("changeset", kChangeset)
        .element("contact", contact)
        .element("key_service", key_service)
        .open("endpoints")
        .open("endpoint")
        .element("specification", kSpecification)
        .element("url", "/open311/v2")
        .element("changeset", kChangeset)
        .element("type", "production")
        .open("formats")
        .element("format", "application/json")
        .element("format", "text/xml")
        .close()
        .close()
        .close()
        .close();
    co_return document_response(request, format, xml.finish());
  };
}

Handler open311_services(const service::Open311Service& open311,
                         const service::CatalogService& catalog) {
  return [&open311, &catalog](Request& request) -> awaitable<Response> {
    const Open311Format format = format_of(request);
    require_known_parameters(request, {"jurisdiction_id"});
    require_jurisdiction(request, open311);
    const json categories = categories_of(co_await catalog.categories(false));
    co_return document_response(request, format, services_document(categories, format));
  };
}

Handler open311_service_definition(const service::Open311Service& open311,
                                   const service::CatalogService& catalog) {
  return [&open311, &catalog](Request& request) -> awaitable<Response> {
    const Open311Format format = format_of(request);
    require_known_parameters(request, {"jurisdiction_id"});
    require_jurisdiction(request, open311);
    const std::string& code = request.path_params.at("service_code");
    const json categories = categories_of(co_await catalog.categories(false));
    const json* category =
        domain::is_category_key(code) ? find_category(categories, code) : nullptr;
    if (category == nullptr) {
      throw domain::Error(domain::ErrorCode::kNotFound, "service_code not found: " + code);
    }
    co_return document_response(request, format, definition_document(*category, format));
  };
}

Handler open311_post_request(const service::Open311Service& open311,
                             const service::CatalogService& catalog) {
  return [&open311, &catalog](Request& request) -> awaitable<Response> {
    const Open311Format format = format_of(request);
    std::optional<std::string> media = merge_filing_body(request);
    std::vector<std::string_view> known = {
        "api_key",        "jurisdiction_id", "service_code", "lat",         "long",
        "address_string", "address_id",      "email",        "device_id",   "account_id",
        "first_name",     "last_name",       "phone",        "description", "media_url"};
    for (const auto& [name, value] : request.query) {
      if (name != kConditionAttribute &&
          std::find(known.begin(), known.end(), name) == known.end()) {
        throw_malformed(name, "not a field of a GeoReport v2 request (or of this service)");
      }
    }
    require_jurisdiction(request, open311);
    const std::optional<std::string> api_key = query_text(request, "api_key");
    if (!api_key || api_key->empty()) {
      throw domain::Error(domain::ErrorCode::kUnauthenticated, "api_key is required");
    }
    auto [actor, channel] = co_await open311.filer(*api_key);
    const std::optional<std::string> code = nonempty_text(request, "service_code");
    if (!code) throw_malformed("service_code", "required");
    const json categories = categories_of(co_await catalog.categories(false));
    const json* category =
        domain::is_category_key(*code) ? find_category(categories, *code) : nullptr;
    if (category == nullptr) {
      throw domain::Error(domain::ErrorCode::kNotFound, "service_code not found: " + *code);
    }
    domain::NewCase intake = intake_of(request, *category, channel);
    if (media && !intake.photos.empty()) {
      throw_malformed("media",
                      "send the photo itself (media) or a link to it (media_url), not both");
    }
    std::optional<service::IdempotencyRequest> idempotency = idempotency_of(request, media);
    service::FiledRequest filed = co_await open311.file(std::move(intake), std::move(actor),
                                                        std::move(idempotency), std::move(media));
    if (!filed.token) {
      spdlog::warn("open311: the token of {} could not be stored; answered without one",
                   filed.case_no);
    }
    // 201 for a replay too: an Idempotency-Key answers as the first time (docs/api.md).
    co_return document_response(request, format, filed_document(filed.case_no, filed.token, format),
                                beast_http::status::created);
  };
}

Guard open311_filing_guard(const service::Open311Service& open311) {
  return [&open311](Request& request) -> awaitable<void> {
    if (!is_form_with_files(request.message[beast_http::field::content_type])) co_return;
    const std::string_view target = request.message.target();
    const std::size_t question = target.find('?');
    const std::map<std::string, std::string, std::less<>> query =
        question == std::string_view::npos ? std::map<std::string, std::string, std::less<>>{}
                                           : parse_query(target.substr(question + 1));
    const auto key = query.find("api_key");
    if (key == query.end() || key->second.empty()) {
      throw domain::Error(domain::ErrorCode::kUnauthenticated,
                          "a filing with its photo (multipart/form-data) carries its api_key in "
                          "the query string, checked before the photo is read");
    }
    co_await open311.filer(key->second);
  };
}

Handler open311_get_requests(const service::Open311Service& open311) {
  return [&open311](Request& request) -> awaitable<Response> {
    const Open311Format format = format_of(request);
    require_known_parameters(request, {"jurisdiction_id", "api_key", "service_request_id",
                                       "service_code", "start_date", "end_date", "status"});
    require_jurisdiction(request, open311);
    service::PublicRequestQuery query;
    if (std::optional<std::string> ids = query_text(request, "service_request_id")) {
      // The specification: other parameters are left aside when ids are given.
      query.case_numbers = domain::parse_open311_request_ids(*ids);
    } else {
      query.window = domain::open311_window(open311_time(request, "start_date"),
                                            open311_time(request, "end_date"), open311.now());
      query.category_key = query_text(request, "service_code");
      if (query.category_key && !domain::is_category_key(*query.category_key)) {
        throw_malformed("service_code", "a service_code of services (event:0101)");
      }
      if (std::optional<std::string> status = query_text(request, "status")) {
        query.status = domain::parse_open311_status(*status);
      }
    }
    const std::vector<service::PublicRequest> found =
        co_await open311.search(std::move(query), request.remote_address);
    co_return document_response(request, format, requests_document(found, format));
  };
}

Handler open311_get_request(const service::Open311Service& open311) {
  return [&open311](Request& request) -> awaitable<Response> {
    const Open311Format format = format_of(request);
    require_known_parameters(request, {"jurisdiction_id", "api_key"});
    require_jurisdiction(request, open311);
    const std::string& id = request.path_params.at("service_request_id");
    service::PublicRequestQuery query;
    if (domain::is_case_number(id)) query.case_numbers = {id};
    std::vector<service::PublicRequest> found;
    if (!query.case_numbers.empty()) {
      found = co_await open311.search(std::move(query), request.remote_address);
    }
    if (found.empty()) {
      throw domain::Error(domain::ErrorCode::kNotFound, "service_request_id not found: " + id);
    }
    co_return document_response(request, format, requests_document(found, format));
  };
}

Handler open311_get_token(const service::Open311Service& open311) {
  return [&open311](Request& request) -> awaitable<Response> {
    const Open311Format format = format_of(request);
    require_known_parameters(request, {"jurisdiction_id", "api_key"});
    require_jurisdiction(request, open311);
    const std::string& token = request.path_params.at("token");
    const bool shaped = token.size() == 32 && std::all_of(token.begin(), token.end(), [](char ch) {
                          return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
                        });
    std::optional<std::string> case_no;
    if (shaped) case_no = co_await open311.case_of_token(token, request.remote_address);
    if (!case_no) throw domain::Error(domain::ErrorCode::kNotFound, "token not found");
    co_return document_response(
        request, format, filed_document(*case_no, std::optional<std::string>{token}, format));
  };
}

}  // namespace gridcase::http
