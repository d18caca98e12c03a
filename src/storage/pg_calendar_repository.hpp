#pragma once

#include <pqxx/transaction_base>

#include "gridcase/service/case_repository.hpp"

namespace gridcase::storage {

class PgCalendarRepository final : public service::CalendarRepository {
 public:
  explicit PgCalendarRepository(pqxx::transaction_base& tx) : tx_(tx) {}

  std::optional<domain::WorkCalendarSpec> load() override;
  void store(const domain::WorkCalendarSpec& spec) override;

 private:
  pqxx::transaction_base& tx_;
};

}  // namespace gridcase::storage
