/* LAVA job logs read back as the console they recorded. The records below
 * are what lava_common.log.dump() printed (lava 2023.01) for console lines
 * after ShellLogger's replacements; the expected text is the line the
 * target sent, minus what LAVA drops for good (\r, ESC). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lava_log.h"

#define REC(lvl, msg) "{\"dt\": \"2026-11-25T13:32:07.554188\", \"lvl\": \"" lvl "\", \"msg\": \"" msg "\"}\n"

static char *console(const char *log)
{
    size_t n = strlen(log);
    char *out = malloc(2 * n + 1);
    size_t len;

    assert_non_null(out);
    len = lava_log_console(log, n, out);
    assert_int_equal(len, strlen(out));
    return out;
}

static void detects_both_log_forms(void **state)
{
    static const char run[] = REC("info", "x"), server[] = "- " REC("info", "x");
    (void)state;
    assert_true(lava_log_detect(run, strlen(run)));
    assert_true(lava_log_detect(server, strlen(server)));
    assert_false(lava_log_detect("DBSWEEP BEGIN a.csv\n", 20));
    assert_false(lava_log_detect("{\"dt\"", 5));
}

static void keeps_target_and_feedback_lines_only(void **state)
{
    char *c = console(REC("info", "ok: start string found")
                      REC("target", "DBSWEEP BEGIN a.csv")
                      "{\"dt\": \"x\", \"lvl\": \"results\", \"msg\": {\"case\": \"job\", \"result\": \"pass\"}}\n"
                      REC("debug", "test monitoring timeout: 120 seconds")
                      REC("feedback", "DBSWEEP END 1 0x12345678"));
    (void)state;
    assert_string_equal(c, "DBSWEEP BEGIN a.csv\nDBSWEEP END 1 0x12345678\n");
    free(c);
}

static void reads_the_server_log_yaml(void **state)
{
    char *c = console("- " REC("target", "one") "- " REC("target", "two"));
    (void)state;
    assert_string_equal(c, "one\ntwo\n");
    free(c);
}

static void undoes_lavas_quote_escaping(void **state)
{
    /* kut.hw_bp1,kut,0,"a,b",x and back\"slash as the target sent them */
    char *c = console(REC("target", "kut.hw_bp1,kut,0,\\\\\\\"a,b\\\\\\\",x")
                      REC("target", "back\\\\\\\\\\\"slash")
                      REC("target", "path \\\\dbsweep\\\\results"));
    (void)state;
    assert_string_equal(c, "kut.hw_bp1,kut,0,\"a,b\",x\nback\\\"slash\npath \\dbsweep\\results\n");
    free(c);
}

static void decodes_yaml_escapes_to_utf8(void **state)
{
    char *c = console(REC("target", "tab\\there \\xE9 \\x01 \\x7F \\L end"));
    (void)state;
    assert_string_equal(c, "tab\there \xc3\xa9 \x01 \x7f \xe2\x80\xa8 end\n");
    free(c);
}

static void drops_a_record_it_cannot_decode(void **state)
{
    char *c = console(REC("target", "bad \\q escape") REC("target", "good")
                      "{\"dt\": \"x\", \"lvl\": \"target\", \"msg\": \"cut off\n");
    (void)state;
    assert_string_equal(c, "good\n");
    free(c);
}

static void grows_when_escapes_do(void **state)
{
    /* \L is two bytes in the log and three of UTF-8 */
    char *c = console(REC("target", "\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L"
                                    "\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L\\L"));
    (void)state;
    assert_int_equal(strlen(c), 40 * 3 + 1);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detects_both_log_forms),
        cmocka_unit_test(keeps_target_and_feedback_lines_only),
        cmocka_unit_test(reads_the_server_log_yaml),
        cmocka_unit_test(undoes_lavas_quote_escaping),
        cmocka_unit_test(decodes_yaml_escapes_to_utf8),
        cmocka_unit_test(drops_a_record_it_cannot_decode),
        cmocka_unit_test(grows_when_escapes_do),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
