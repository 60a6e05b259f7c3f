/* mapgen serve's request parsing (mapgen/serve/route.h), case by case:
 * the routes, what is malformed and what is refused, Range (RFC 9110
 * 14.1.2: first-last, first-, -suffix), If-None-Match (RFC 9110 13.1.2,
 * weak comparison) and Host. */
#include "check.h"
#include "mapgen/route.h"

#include <string.h>

static mg_route r;

static mg_route_kind route(const char *s)
{
    return mg_serve_route(s, strlen(s), &r);
}

static void test_routes(void)
{
    CHECK_INT(route("/"), MG_ROUTE_INDEX);
    CHECK_STR(r.path, "index.html");
    CHECK_INT(route("/catalog"), MG_ROUTE_CATALOG);
    CHECK_INT(route("/health"), MG_ROUTE_HEALTH);
    CHECK_INT(route("/needs.json"), MG_ROUTE_TILEJSON);
    CHECK_STR(r.map, "needs");
    CHECK_STR(r.path, "needs.json");
    CHECK_INT(route("/maps.json"), MG_ROUTE_TILEJSON); /* a file if no map */
    CHECK_INT(route("/needs/7/72/46.png"), MG_ROUTE_TILE);
    CHECK_STR(r.map, "needs");
    CHECK_INT(r.z, 7);
    CHECK_INT(r.x, 72);
    CHECK_INT(r.y, 46);
    CHECK_INT(r.retina, 0);
    CHECK_STR(r.path, "needs/7/72/46.png");
    CHECK_INT(route("/needs/8/145/91@2x.png"), MG_ROUTE_TILE);
    CHECK_INT(r.retina, 1);
    CHECK_INT(r.y, 91);
    CHECK_INT(route("/p-1_b/0/0/0.png"), MG_ROUTE_TILE);
    CHECK_INT(route("/needs/30/1073741823/1073741823.png"), MG_ROUTE_TILE);
    CHECK_INT(r.x, 1073741823);
    /* Not tiles (outside the grid, z > 30, leading zero, upper case map,
     * other extension): files, looked up as such. */
    CHECK_INT(route("/needs/7/128/0.png"), MG_ROUTE_FILE);
    CHECK_STR(r.path, "needs/7/128/0.png");
    CHECK_INT(route("/needs/31/0/0.png"), MG_ROUTE_FILE);
    CHECK_INT(route("/needs/07/72/46.png"), MG_ROUTE_FILE);
    CHECK_INT(route("/Needs/7/72/46.png"), MG_ROUTE_FILE);
    CHECK_INT(route("/needs/7/72/46.jpg"), MG_ROUTE_FILE);
    CHECK_INT(route("/tiles/needs/7/72/46.png"), MG_ROUTE_FILE);
    CHECK_INT(route("/lib/leaflet/leaflet.js"), MG_ROUTE_FILE);
    CHECK_STR(r.path, "lib/leaflet/leaflet.js");
    CHECK_INT(route("/reports%2franking.csv"), MG_ROUTE_FILE);
    CHECK_STR(r.path, "reports/ranking.csv");
    CHECK_INT(route("/a%41b"), MG_ROUTE_FILE);
    CHECK_STR(r.path, "aAb");
}

static void test_refusals(void)
{
    const char *bad[] = {"", "x", "%2f", "/a%zz", "/a%0", "/a%", "/%00",
                         "/a\\b", "/a%5cb", "/%252e%252e/x", "/a%25b",
                         "/caf\xc3\xa9", "/a\tb", "/a%7fb"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_INT(route(bad[i]), MG_ROUTE_BAD);
        CHECK_STR(r.path, "");
    }
    CHECK_INT(mg_serve_route("/a\0b", 4, &r), MG_ROUTE_BAD);
    const char *refused[] = {"/..", "/../x", "/%2e%2e/x", "/a/./b", "/.x",
                             "//x", "/x/", "/x//y", "/a:b", "/a b",
                             "/a%20b", "/tiles/.needs.partial/0/0/0.png",
                             "/a?b", "/a#b", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        CHECK_INT(route(refused[i]), MG_ROUTE_REFUSED);
        CHECK_STR(r.path, "");
    }
    char longer[MG_SERVE_MAX_URL + 2];
    memset(longer, 'a', sizeof longer - 1);
    longer[0] = '/';
    longer[sizeof longer - 1] = '\0';
    CHECK_INT(route(longer), MG_ROUTE_TOO_LONG);
    longer[MG_SERVE_MAX_URL] = '\0';            /* exactly the limit */
    CHECK_INT(route(longer), MG_ROUTE_FILE);
    CHECK(mg_serve_path_is_safe("a/b.c"));
    CHECK(!mg_serve_path_is_safe("/a"));
    CHECK(!mg_serve_path_is_safe("a/../b"));
    CHECK(!mg_serve_path_is_safe(""));
}

static void test_range(void)
{
    uint64_t off = 7, len = 7;
    CHECK_INT(mg_serve_parse_range("bytes=0-15", 100, &off, &len), 1);
    CHECK_INT(off, 0);
    CHECK_INT(len, 16);
    CHECK_INT(mg_serve_parse_range("bytes=-10", 100, &off, &len), 1);
    CHECK_INT(off, 90);
    CHECK_INT(len, 10);
    CHECK_INT(mg_serve_parse_range("bytes=-500", 100, &off, &len), 1);
    CHECK_INT(off, 0);
    CHECK_INT(len, 100);
    CHECK_INT(mg_serve_parse_range("bytes=95-200", 100, &off, &len), 1);
    CHECK_INT(off, 95);
    CHECK_INT(len, 5);
    CHECK_INT(mg_serve_parse_range("bytes=40-", 100, &off, &len), 1);
    CHECK_INT(len, 60);
    CHECK_INT(mg_serve_parse_range("bytes=100-", 100, &off, &len), -1);
    CHECK_INT(mg_serve_parse_range("bytes=0-", 0, &off, &len), -1);
    CHECK_INT(mg_serve_parse_range("bytes=5-2", 100, &off, &len), 0);
    CHECK_INT(mg_serve_parse_range("bytes=1-2,4-5", 100, &off, &len), 0);
    CHECK_INT(mg_serve_parse_range("items=0-1", 100, &off, &len), 0);
    CHECK_INT(mg_serve_parse_range("bytes=-0", 100, &off, &len), 0);
    CHECK_INT(mg_serve_parse_range("bytes=x-1", 100, &off, &len), 0);
    CHECK_INT(mg_serve_parse_range("bytes=99999999999999999999-", 100, &off,
                                   &len), 0);
    CHECK_INT(mg_serve_parse_range(NULL, 100, &off, &len), 0);
}

static void test_etag_host(void)
{
    const char *e = "\"m1f-2\"";
    CHECK_INT(mg_serve_etag_match("*", e), 1);
    CHECK_INT(mg_serve_etag_match("\"m1f-2\"", e), 1);
    CHECK_INT(mg_serve_etag_match("W/\"m1f-2\"", e), 1);
    CHECK_INT(mg_serve_etag_match("\"x\", W/\"m1f-2\"", e), 1);
    CHECK_INT(mg_serve_etag_match("\"m1f-22\"", e), 0);
    CHECK_INT(mg_serve_etag_match("\"m1f\"", e), 0);
    CHECK_INT(mg_serve_etag_match("m1f-2", e), 0);
    CHECK_INT(mg_serve_etag_match("\"unterminated", e), 0);
    CHECK_INT(mg_serve_etag_match(NULL, e), 0);
    const char *hosts[] = {"127.0.0.1:8080", "localhost:8080"};
    CHECK_INT(mg_serve_host_allowed("LocalHost:8080", hosts, 2), 1);
    CHECK_INT(mg_serve_host_allowed("127.0.0.1:8080", hosts, 2), 1);
    CHECK_INT(mg_serve_host_allowed("localhost:8080.evil", hosts, 2), 0);
    CHECK_INT(mg_serve_host_allowed("localhost", hosts, 2), 0);
    CHECK_INT(mg_serve_host_allowed(NULL, hosts, 2), 0);
}

int main(void)
{
    test_routes();
    test_refusals();
    test_range();
    test_etag_host();
    CHECK_DONE();
}
