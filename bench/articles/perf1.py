# perf1, the classic fib microservice's latency client, as published: one
# connection, `30` without a newline, one recv(100) per answer, the elapsed
# time of each request printed. Runs until interrupted. Optional argument:
# the port (default 25000).
from socket import *
import sys
import time

sock = socket(AF_INET, SOCK_STREAM)
sock.connect(('localhost', int(sys.argv[1]) if len(sys.argv) > 1 else 25000))

while True:
    start = time.time()
    sock.send(b'30')
    resp = sock.recv(100)
    end = time.time()
    print(end - start)
