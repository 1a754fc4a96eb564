/*
 * The hostile jail process of warder's race tests: makes LINK a symbolic link to TARGET (a host
 * directory, seen from outside the jail) if it is missing, then exchanges DIR and LINK with
 * renameat2(RENAME_EXCHANGE) as fast as it can for SECONDS seconds (0: until killed), so that a
 * host-side writer walking DIR finds, at any instant, either the real directory or a link out of
 * the jail. Prints the number of exchanges at the end. With "daemon" for SECONDS it detaches
 * (fork, setsid) and swaps until killed, outliving the script that started it.
 *
 *   swap DIR LINK TARGET SECONDS|daemon
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: swap DIR LINK TARGET SECONDS\n");
    return 2;
  }
  const char *dir = argv[1], *link = argv[2], *target = argv[3];
  long seconds = atol(argv[4]);
  if (strcmp(argv[4], "daemon") == 0) {
    pid_t pid = fork();
    if (pid < 0) {
      perror("fork");
      return 1;
    }
    if (pid > 0) {
      return 0;
    }
    setsid();
    seconds = 0;
  }
  if (symlink(target, link) != 0 && errno != EEXIST) {
    perror("symlink");
    return 1;
  }
  time_t end = time(NULL) + seconds;
  unsigned long swaps = 0;
  for (unsigned long i = 0;; i++) {
    if (syscall(SYS_renameat2, AT_FDCWD, dir, AT_FDCWD, link, RENAME_EXCHANGE) == 0) {
      swaps++;
    } else if (errno != ENOENT) {
      perror("renameat2");
      return 1;
    }
    if (seconds > 0 && (i & 1023) == 0 && time(NULL) >= end) {
      break;
    }
  }
  printf("%lu\n", swaps);
  return 0;
}
