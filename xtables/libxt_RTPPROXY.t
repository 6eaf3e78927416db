:PREROUTING,INPUT,OUTPUT,POSTROUTING
*mangle
# one address: gate B follows gate A
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100;=;OK
-j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --addr-b 10.0.0.1 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --port-b 40000 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --port-b 49800 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --port-b 50200 --max-sess 100;=;OK
# two addresses
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --addr-b 10.0.0.2 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --addr-b 10.0.0.2 --port-b 50000 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 192.168.1.1 --port-a 20000 --addr-b 172.16.0.1 --port-b 30000 --max-sess 5000;=;OK
# timeouts
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --expires-timeout 1;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --expires-timeout 86400;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --resurrection-timeout 0;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --resurrection-timeout 86400;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --expires-timeout 60 --resurrection-timeout 5;=;OK
# saved in one order, whatever the order given
-p udp -j RTPPROXY --max-sess 100 --resurrection-timeout 3 --port-a 50000 --addr-b 10.0.0.2 --addr-a 10.0.0.1;-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --addr-b 10.0.0.2 --max-sess 100 --resurrection-timeout 3;OK
# boundaries
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 2 --max-sess 1;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 65534 --addr-b 10.0.0.2 --max-sess 1;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 65136 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 65336 --addr-b 10.0.0.2 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 2 --addr-b 10.0.0.2 --max-sess 32767;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 32768 --addr-b 10.0.0.2 --max-sess 16384;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 65138 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 65338 --addr-b 10.0.0.2 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 10000 --addr-b 10.0.0.2 --port-b 65338 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 32768 --max-sess 16384;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 65534 --max-sess 1;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 2 --max-sess 32767;;FAIL
# required options
-p udp -j RTPPROXY;;FAIL
-p udp -j RTPPROXY --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --addr-a 10.0.0.2 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --max-sess 100;;FAIL
# addresses
-p udp -j RTPPROXY --addr-a 0.0.0.0 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 224.0.0.1 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 240.0.0.1 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 255.255.255.255 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 300.1.1.1 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.1 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.0/8 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a ::1 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --addr-b 0.0.0.0 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --addr-b 239.1.1.1 --port-a 50000 --max-sess 100;;FAIL
# ports
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 0 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50001 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 65535 --max-sess 1;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 65536 --max-sess 1;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 70000 --max-sess 1;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a -2 --max-sess 1;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 5e4 --max-sess 1;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --port-b 0 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --port-b 40001 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --port-b 65536 --max-sess 100;;FAIL
# gates on one address overlapping
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --port-b 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --port-b 50198 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --port-b 49802 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --addr-b 10.0.0.1 --port-b 50100 --max-sess 100;;FAIL
# sizes
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 0;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 2 --addr-b 10.0.0.2 --max-sess 32768;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 40000;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess -1;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess many;;FAIL
# timeouts
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --expires-timeout 0;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --expires-timeout 86401;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --resurrection-timeout 86401;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --resurrection-timeout -1;;FAIL
# unknown options, inversion, missing or malformed arguments, repeated options
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --always-learn;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --foo 1;;FAIL
-p udp -j RTPPROXY ! --addr-a 10.0.0.1 --port-a 50000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 10x;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000x --max-sess 10;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 4294967297;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --expires-timeout 60s;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --expires-timeout 4294967356;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --resurrection-timeout 4294967301;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --addr-b 10.0.0.2 --addr-b 10.0.0.3 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --port-b 40000 --port-b 40000 --max-sess 100;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --expires-timeout 60 --expires-timeout 60;;FAIL
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100 --resurrection-timeout 5 --resurrection-timeout 5;;FAIL
-p udp -j RTPPROXY --addr-a nosuchhost.invalid --port-a 50000 --max-sess 100;;FAIL
# next to another switchboard of the namespace
@iptables -t mangle -N XTT_SB
@iptables -t mangle -A XTT_SB -j RTPPROXY --addr-a 10.9.0.1 --port-a 30000 --max-sess 100
-p udp -j RTPPROXY --addr-a 10.9.0.1 --port-a 30000 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.9.0.1 --port-a 30000 --addr-b 10.9.0.1 --port-b 30200 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.9.0.1 --port-a 30400 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.9.0.1 --port-a 29800 --addr-b 10.9.0.2 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.9.0.2 --port-a 30000 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.9.0.1 --port-a 30100 --addr-b 10.9.0.2 --max-sess 10;;FAIL
-p udp -j RTPPROXY --addr-a 10.9.0.1 --port-a 29990 --addr-b 10.9.0.2 --max-sess 10;;FAIL
-p udp -j RTPPROXY --addr-a 10.9.0.2 --port-a 30000 --addr-b 10.9.0.1 --port-b 30398 --max-sess 10;;FAIL
-p udp -j RTPPROXY --addr-a 10.9.0.1 --port-a 30000 --max-sess 50;;FAIL
-p udp -j RTPPROXY --addr-a 10.9.0.1 --port-a 30000 --port-b 30200 --max-sess 50;;FAIL
@iptables -t mangle -F XTT_SB
@iptables -t mangle -X XTT_SB
# hooks and tables the target does not serve
:FORWARD
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100;;FAIL
:INPUT,FORWARD,OUTPUT
*filter
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100;;FAIL
:PREROUTING,INPUT,OUTPUT,POSTROUTING
*nat
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100;;FAIL
:INPUT,FORWARD,OUTPUT
*security
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100;;FAIL
# the raw table, before connection tracking (the README's recipe)
:PREROUTING,OUTPUT
*raw
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --max-sess 100;=;OK
-d 10.0.0.1/32 -p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000 --addr-b 10.0.0.2 --max-sess 100;=;OK
-p udp -j RTPPROXY --addr-a 10.0.0.1 --port-a 50000;;FAIL
