# perf2, the classic fib microservice's throughput client, as published: one
# connection, `1` without a newline, one recv(100) per answer, requests per
# second printed every second by a second thread. Runs until interrupted.
# Optional argument: the port (default 25000).
from socket import *
import sys
import time
from threading import Thread

sock = socket(AF_INET, SOCK_STREAM)
sock.connect(('localhost', int(sys.argv[1]) if len(sys.argv) > 1 else 25000))

n = 0

def monitor():
    global n
    while True:
        time.sleep(1)
        print(n, 'reqs/sec')
        n = 0

Thread(target=monitor, daemon=True).start()

while True:
    sock.send(b'1')
    resp = sock.recv(100)
    n += 1
