#pragma once
#include "pg_catalog_repository.hpp"  // PgHealthRepository lives beside PgCatalogRepository
