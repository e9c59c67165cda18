#!/bin/bash
# The HTML report opened in headless Chromium: the page runs its own script
# (and nothing an engine put in a name, label or value), shows the engine x
# feature matrix coloured by verdict, sorts by a column, and renders to a
# screenshot (kept in MOCKRUNC_SCREENSHOT_DIR when that is set).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/report/fixtures/docker-session.sh"

R=$T_BIN/mockrunc-report
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || t_skip_all "chromium is needed (Debian package chromium)"
command -v jq >/dev/null || t_skip_all "jq is needed"

DB=$T_TMP/h.db
A=$(docker_session "$DB" 20.10.24)
# A session whose engine strings and recorded values are hostile markup.
mkdir -p "$T_TMP/evil/rootfs"
jq '.process.cwd = "<img src=x onerror=\"document.body.setAttribute(\u0027data-pwned\u0027,\u00271\u0027)\">"
	| .annotations = {"<script>document.title=\"pwned\"</script>": "x"}' \
	"$T_TOP/tests/report/fixtures/base.json" >"$T_TMP/evil/config.json"
B=$("$R" --db "$DB" session begin --engine '<script>document.title="pwned"</script>' \
	--engine-version '"><img src=x onerror=alert(1)>' --label "<b>bold</b> & 'quoted'")
"$T_BIN/mockrunc" --mock-db "$DB" --mock-backend "$T_TOP/tests/lib/fake-runtime" create \
	--bundle "$T_TMP/evil" 'evil-1' >/dev/null 2>&1
"$R" --db "$DB" session end
"$R" --db "$DB" score --session "$A" --session "$B" --format html --output "$T_TMP/report.html"
t_ok "the report is written" test -s "$T_TMP/report.html"

browse() { # url: the DOM after the page's scripts ran
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--user-data-dir="$T_TMP/chromium" --virtual-time-budget=5000 --dump-dom "$1" 2>/dev/null
}
DOM=$(browse "file://$T_TMP/report.html")
t_like "$DOM" '<body data-ready="1">' "the page's own script ran"
t_like "$DOM" '<title>mockrunc-report score</title>' "the title is untouched by engine strings"
t_unlike "$DOM" 'data-pwned="1"' "no markup from a recorded value ran"
t_unlike "$DOM" '<img src="x"' "no element was made from an engine string"
t_like "$DOM" '&lt;script&gt;document.title="pwned"&lt;/script&gt;' "the hostile engine name is shown as text"
t_like "$DOM" '&lt;b&gt;bold&lt;/b&gt; &amp; .quoted.' "the hostile label is shown as text"
t_like "$DOM" '&lt;img src=x onerror=' "the hostile recorded value is shown as text"
nfeatures=$("$R" features --format json | jq '.features | length')
t_is "$(grep -o '<tr data-feature="' <<<"$DOM" | wc -l)" "$nfeatures" "one matrix row per catalog feature"
t_like "$DOM" '<th title="session [0-9]+ \(docker 20.10.24, label e2e\)">docker<br>20.10.24' "a matrix column per session"
t_like "$DOM" '<tr data-feature="hooks.prestart">.*<td class="warn"' "a warned feature is coloured warn"
t_like "$DOM" '<tr data-feature="process.cwd">.*<td class="pass"[^>]*>pass \([0-9]+\)</td><td class="fail"' \
	"process.cwd passes for docker and fails for the hostile session"
t_like "$DOM" '<tr data-feature="linux.memoryPolicy">.*<td class="not-exercised"' "not exercised is coloured apart"

# Sorting: by the hostile session's column (4), worst first; by name.
DOM=$(browse "file://$T_TMP/report.html#sort=matrix:4:desc")
t_like "$DOM" 'id="matrix" data-sorted="4:desc"' "the matrix was sorted by the page's script"
first=$(grep '<tr data-feature="' <<<"$DOM" | head -1)
t_like "$first" '<td class="fail"' "sorted worst first: the first row is a failure"
DOM=$(browse "file://$T_TMP/report.html#sort=matrix:0:asc")
t_is "$(grep -o '<tr data-feature="[^"]*"' <<<"$DOM" | head -3 | cut -d'"' -f2 | tr '\n' ' ')" \
	"annotations annotations.image cli.create.bundle " "sorted by feature name"

timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
	--user-data-dir="$T_TMP/chromium" --window-size=1400,1000 \
	--screenshot="$T_TMP/report.png" "file://$T_TMP/report.html#sort=matrix:3:desc" >/dev/null 2>&1
t_is "$(head -c 8 "$T_TMP/report.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a "a PNG screenshot"
t_ok "the screenshot has content" test "$(stat -c %s "$T_TMP/report.png" 2>/dev/null || echo 0)" -gt 20000
if [ -n "${MOCKRUNC_SCREENSHOT_DIR:-}" ]; then
	mkdir -p "$MOCKRUNC_SCREENSHOT_DIR" && cp "$T_TMP/report.png" "$T_TMP/report.html" "$MOCKRUNC_SCREENSHOT_DIR/"
fi

t_done
