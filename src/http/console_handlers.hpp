#pragma once

#include <string>

#include "router.hpp"

namespace gridcase::http {

// The command-center console (src/web/src/console, built and embedded; docs/console.md): a
// single page at `/` with its script and style sheet under /console/. Public files: everything
// the page shows comes from the API, which checks the caller on every request.
//
// `directory` (http.console_dir, GRIDCASE_CONSOLE_DIR) serves the files from a directory instead,
// read on each request, for working on the console without rebuilding the server; empty (the
// default) serves the files the binary carries.

/// GET /: the console's page.
Handler console_page(std::string directory);
/// GET /console/{file}: console.js, console.css.
Handler console_file(std::string directory);

}  // namespace gridcase::http
