# explore-1: the data explorer (issue 5, point 4) driven like a person: open it on the bundled
# credit data from the REPL, move, page, sort, jump, search, resize, quit; then the REPL still
# works and remembers. Expected values come from the CSV itself (zcat + awk), not from moneta.
set -eu
. "$(dirname "$0")/lib.sh"
csv=datasets/credit.csv.gz
# row k of the data (1-based, as the explorer numbers rows): field f
field() { zcat "$csv" | awk -F, -v r="$(($1 + 1))" -v f="$2" 'NR == r { print $f; exit }'; }
# the largest income, printed as the table prints numbers (whole, or 7 significant digits)
max_income=$(zcat "$csv" | awk -F, 'NR > 1 && $4 != "" && $4 != "NA" {
    if (m == "" || $4 + 0 > m) m = $4 + 0 } END { if (m == int(m)) printf "%d", m; else printf "%.7g", m }')
# the rows (1-based) whose employment is "retired"
retired1=$(zcat "$csv" | awk -F, '$5 == "retired" { print NR - 1; exit }')
retired2=$(zcat "$csv" | awk -F, '$5 == "retired" && ++c == 2 { print NR - 1; exit }')
rows=$(($(zcat "$csv" | wc -l) - 1))

start_moneta explore
type_line 'df = read_csv("datasets/credit.csv.gz")'
prompt_ready
type_line 'dash.explore(df)'

# explore-1.1 the header, the side panel and the status line
wait_for '^ +id +application_date +age +income +employment' 10
wait_for 'column 1 of 18' 10
wait_for "^ frame ${rows}.18 +row 1/${rows} +col 1/18 id" 10
wait_for '^ *1 +1 +2021-01-01 +38 +NA +self-employed' 10

# explore-1.2 Down, PageDown and Right move the cursor and the visible rows
keys Down
wait_for "row 2/${rows} " 10
keys PageDown                          # 27 data lines in a 30-line pane
wait_for "row 29/${rows} " 10
wait_for "^ +28 +$(field 28 1) +$(field 28 2) +$(field 28 3) " 10
screen | grep -Eq '^ +1 +1 +2021-01-01 ' && fail "row 1 still visible after PageDown"
keys Right
wait_for "col 2/18 application_date" 10
wait_for 'column 2 of 18' 10
wait_for 'min +2021-01-01' 10

# explore-1.3 go to a column by name, sort it down: the first row holds the maximum
keys c
wait_for 'go to column:' 10
keys -l income
keys Enter
wait_for 'col 4/18 income' 10
keys '>'
wait_for 'sorted by income desc' 10
wait_for "row 1/${rows} " 10
screen | sed -n 3p | grep -Eq " ${max_income} " || fail "first row after sorting is not the max ${max_income}"
wait_for "max +${max_income} " 10

# explore-1.4 jump to a frame row (the gutter's number) in the sorted view
keys :
wait_for 'jump to row:' 10
keys -l 5000
keys Enter
wait_for "\\(#5000\\)" 10
wait_for "^ 5000 +$(field 5000 1) +$(field 5000 2) " 10

# explore-1.5 back to frame order; search every column; n finds the next match
keys r
wait_for "row 5000/${rows} " 10
keys g
wait_for "row 1/${rows} " 10
keys /
wait_for 'search income:' 10
keys -l retired
keys Tab
wait_for 'search all columns: retired' 10
keys Enter
wait_for "row ${retired1}/${rows} +col 5/18 employment" 10
keys n
wait_for "row ${retired2}/${rows} +col 5/18 employment" 10
keys G n
wait_for 'search wrapped to the top' 10
wait_for "row ${retired1}/${rows} " 10

# explore-1.6 resizing: narrower hides the side panel, too small says so, larger restores it
tm resize-window -t "$SESSION" -x 60 -y 20
wait_for "row ${retired1}/${rows} " 10
i=0
while screen | grep -q 'column 5 of 18'; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "side panel still shown at 60 columns"; sleep 0.1
done
tm resize-window -t "$SESSION" -x 30 -y 8
wait_for 'terminal too small' 10
tm resize-window -t "$SESSION" -x 100 -y 30
wait_for 'column 5 of 18' 10

# explore-1.7 help overlay, then q back to a working REPL with its history
keys '?'
wait_for 'explorer keys' 10
keys x
i=0
while screen | grep -q 'explorer keys'; do
    i=$((i + 1)); [ $i -lt 100 ] || fail "help did not close"; sleep 0.1
done
keys q
prompt_ready
type_line '1+1'
wait_for '^2$' 10
keys Up
wait_for '^> 1\+1$' 10
keys Up
wait_for '^> dash\.explore\(df\)$' 10

# explore-1.8 Ctrl-C closes the explorer without an error; the REPL goes on
keys Enter
wait_for 'column 1 of 18' 10
keys C-c
prompt_ready
screen | grep -q 'interrupted' && fail "Ctrl-C in the explorer printed an error"
type_line '20+22'
wait_for '^42$' 10

# explore-1.9 errors: not a frame
type_line 'dash.explore(42)'
wait_for 'dash.explore: expected a frame, got number' 10
# on a terminal too, option errors come before the screen, in the C explorer's words
type_line "dash.explore(df, {sort = 'nope'})"
wait_for "dash.explore: option 'sort': no column 'nope'" 10
type_line "dash.explore(df, {row = 0})"
wait_for "dash.explore: option 'row' must be >= 1 \\(got 0\\)" 10
echo "dash_explore: ok"
