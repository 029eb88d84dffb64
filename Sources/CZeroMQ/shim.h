#include <zmq.h>
// The poller of ZMQ_FD descriptors (ZMQPoller) waits with epoll, which Swift's Glibc module leaves out.
#include <sys/epoll.h>
