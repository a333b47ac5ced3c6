# dash-monitor-2: the training monitor under --frames and --clock fixed, running a script:
# after 6 frames (the "begin" record, then one per epoch) it stops training, prints its last
# frame as plain text with every part in it and frozen times, then a plain summary; two runs
# print the same frame.
set -eu
. "$(dirname "$0")/lib.sh"
SCRIPT=$(pwd)/scripts/train_monitor.lua
cd "$E2E_TMP"

run() {   # run N: the script in a fresh 100x30 pane; its whole output in out.N
    tm new-session -d -s "run$1" -x 100 -y 30 \
        "$MONETA_BIN --frames 6 --clock fixed:2024-01-02T00:00:00Z '$SCRIPT'; echo '[moneta exited]'; sleep 60"
    SESSION=run$1
    wait_for '^\[moneta exited\]' 60
    tm capture-pane -p -S - -t "$SESSION" > "out.$1"
}
has() { grep -Eq -- "$1" "out.$2" || { echo "FAIL: no /$1/ in the output"; cat "out.$2"; exit 1; }; }

run 1
# dash-monitor-2.1 the last frame has every part, times frozen by the clock
has 'moneta · training monitor │ credit MLP │ 4289 params │ dense\(64\) relu' 1
has 'RUNNING +00:00:00$' 1
has '^ epoch +5/200 \[' 1
has 'elapsed 0\.0s +ETA --$' 1
has '^ batch +57/57 \[.*100\.0%' 1
has '^ lr 1\.000e-03 +grad norm - +loss 0\.[0-9]+ +best [0-9]+ \(val_loss 0\.[0-9]+\)' 1
has '^┌─ loss +━━ train loss +━━ val loss +▲ best' 1
has '^│ *0\.[0-9]+┤' 1
has '⣀|⠉|⠒|⠤' 1
has '^│ +epoch +loss +val_loss +accuracy +val_accu\. +val_auc +time' 1
has '^│ +\*? +5 +0\.[0-9]{4} +0\.[0-9]{4} +0\.[0-9]{4} +0\.[0-9]{4} +0\.[0-9]{4} +-- ' 1
has '^│ 00:00:00  training: 200 epochs of 57 batches' 1
has '^ RUNNING +p pause +q stop +s checkpoint +l log scale +g plot +\? help +frame 6/6$' 1
# box lines come out as box lines, not as the alternate character set's letters
grep -Eq '^lq|qqqq|^x ' out.1 && { echo "FAIL: line-drawing letters in the frame"; cat out.1; exit 1; }
# dash-monitor-2.2 then the plain summary: the epochs, the best one, why training ended
has '^fit epoch +5/200 +loss' 1
has '^fit: best epoch [0-9]+ \(val_loss' 1
has '^fit: stopped by the progress listener after epoch 5$' 1
has '^history: 5 epoch\(s\)' 1

# dash-monitor-2.3 the frame is the same on a second run (fixed seed, one thread, fixed clock)
run 2
sed -n '1,/frame 6\/6$/p' out.1 > frame.1
sed -n '1,/frame 6\/6$/p' out.2 > frame.2
[ "$(wc -l < frame.1)" -ge 20 ] || { echo "FAIL: no frame"; cat out.1; exit 1; }
diff -u frame.1 frame.2 || { echo "FAIL: the frames differ"; exit 1; }
echo "dash_monitor_frames: ok"
