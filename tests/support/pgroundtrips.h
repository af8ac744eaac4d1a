#pragma once
// Counts the round trips a PostgreSQL connection makes between start and stop(), from libpq's
// trace (PQtrace): each ends with what the client sends last before it waits, a simple Query or
// the Sync of a prepared statement (or of a pipeline). Header-only; link PostgreSQL::PostgreSQL.

#include <libpq-fe.h>

#include <cstdio>
#include <string>

namespace gd::test {

class PgRoundTrips
{
  public:
    explicit PgRoundTrips(PGconn *connection)
      : mConnection(connection)
      , mTrace(std::tmpfile())
    {
      if (mTrace)
      {
        PQtrace(mConnection, mTrace);
        PQsetTraceFlags(mConnection, PQTRACE_SUPPRESS_TIMESTAMPS);
      }
    }
    ~PgRoundTrips() { stop(); }
    PgRoundTrips(const PgRoundTrips &) = delete;
    PgRoundTrips &operator=(const PgRoundTrips &) = delete;

    //! Stops tracing; the round trips made since the start (-1 if no trace could be kept).
    int stop()
    {
      if (!mTrace)
        return mCount;
      PQuntrace(mConnection);
      std::rewind(mTrace);
      mCount = 0;
      char line[4096];
      while (std::fgets(line, sizeof line, mTrace))
      {
        const std::string text(line);
        if (text.rfind("F\t", 0) == 0 &&
            (text.find("\tQuery\t") != std::string::npos || text.find("\tSync") != std::string::npos))
          ++mCount;
      }
      std::fclose(mTrace);
      mTrace = nullptr;
      return mCount;
    }

  private:
    PGconn *mConnection;
    std::FILE *mTrace;
    int mCount = -1;
};

} // namespace gd::test
