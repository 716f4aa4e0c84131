# make bench plot: gnuplot -e "datafile='...'; outfile='...'" plot.gp
# Also arch='i386' or 'x86_64' and mainlines=1 or 2 (x86_64: kexec -s and
# kexec -c).  Block 0 (handover, seconds): image, who, medians of exec ->
# point of no return, -> the new kernel's entry, -> its init, point of no
# return -> init where the entry is unknown (else 0); the total's median,
# min and max.  Block 1 (load, milliseconds): label, then median, min, max
# of ours, mainline (-s, -c), cat > /dev/null, read(2).
set terminal pngcairo size 1400,680 font ",10"
set output outfile
set multiplot layout 1,2 title "kexec\\_boot (ours) vs mainline kexec: QEMU TCG, ".arch." guest, -smp 2 (medians; whiskers: min-max)"
set style fill solid 0.85 border -1
set grid ytics
set key below maxrows 2 width -2
set bmargin 10
set boxwidth 0.7

set title "kexec -e (firmware: reboot -f) to the new kernel's /init"
set ylabel "seconds"
set style data histograms
set style histogram rowstacked
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
set xtics nomirror
plot datafile index 0 using 3:xtic(stringcolumn(1)."\n".stringcolumn(2)) title "exec -> point of no return" lc rgb "#9bbb59", \
     '' index 0 using 4 title "point of no return -> entry (stub / purgatory / reset+BIOS)" lc rgb "#c0504d", \
     '' index 0 using 5 title "entry -> init (the new kernel boots)" lc rgb "#4f81bd", \
     '' index 0 using 6 title "point of no return -> init (entry unknown)" lc rgb "#a6a6a6", \
     '' index 0 using 0:7:8:9 with yerrorbars lc rgb "black" pt 7 ps 0.5 title "total", \
     '' index 0 using 0:9:(sprintf("%.2f s", $7)) with labels offset 0,1 notitle

set title "kexec -l: image + initrd (the files are in tmpfs)"
set ylabel "milliseconds (log scale)"
set style histogram errorbars gap 2 lw 1
set logscale y
set yrange [1:*]
set offsets 0, 0, 0, 0
if (mainlines == 2) {
plot datafile index 1 using 2:3:4:xtic(1) title "ours" lc rgb "#2a7f3f", \
     '' index 1 using 5:6:7 title "mainline -s" lc rgb "#e46c0a", \
     '' index 1 using 8:9:10 title "mainline -c" lc rgb "#c0504d", \
     '' index 1 using 11:12:13 title "cat > /dev/null" lc rgb "#4f81bd", \
     '' index 1 using 14:15:16 title "read(2), 64 KiB" lc rgb "#8064a2"
} else {
plot datafile index 1 using 2:3:4:xtic(1) title "ours" lc rgb "#2a7f3f", \
     '' index 1 using 5:6:7 title "mainline" lc rgb "#c0504d", \
     '' index 1 using 8:9:10 title "cat > /dev/null" lc rgb "#4f81bd", \
     '' index 1 using 11:12:13 title "read(2), 64 KiB" lc rgb "#8064a2"
}
unset multiplot
