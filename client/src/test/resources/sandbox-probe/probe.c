/*
 * The sandbox escape probe of SandboxEscapeTest, built with gcc -static at test time and run as
 * root inside a jail. Each attack prints one line, "NAME: refused ERRNO" or "NAME: ALLOWED ...".
 *
 *   probe handle PATH                 (host) print PATH's file handle: "TYPE HEX"
 *   probe read-handle TYPE HEX        (host) open that handle relative to / and print the file
 *   probe attack TYPE HEX HOSTPID     (jail) try every attack below
 *   probe raw-socket                  (jail) open a raw ICMP socket
 *   bwrap ARGS...                     (jail) a forged sandbox: sleep for ever, with a child
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/reboot.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <netinet/in.h>
#include <unistd.h>

static void refused(const char *name) {
  printf("%s: refused %s\n", name, strerrorname_np(errno));
}

/* Prints the first bytes of fd (or refused), then closes it. */
static void report_read(const char *name, int fd) {
  if (fd < 0) {
    refused(name);
    return;
  }
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n < 0) {
    refused(name);
  } else {
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '\0' || buf[i] == '\n') buf[i] = ' ';
    }
    buf[n] = '\0';
    printf("%s: ALLOWED read [%s]\n", name, buf);
  }
  close(fd);
}

static struct file_handle *parse_handle(const char *type, const char *hex) {
  size_t len = strlen(hex) / 2;
  struct file_handle *h = malloc(sizeof *h + len);
  h->handle_bytes = len;
  h->handle_type = atoi(type);
  for (size_t i = 0; i < len; i++) {
    sscanf(hex + 2 * i, "%2hhx", &h->f_handle[i]);
  }
  return h;
}

static int open_handle(struct file_handle *h) {
  int mount_fd = open("/", O_RDONLY | O_DIRECTORY);
  return open_by_handle_at(mount_fd, h, O_RDONLY);
}

static void check(const char *name, long rc) {
  if (rc < 0) {
    refused(name);
  } else {
    printf("%s: ALLOWED\n", name);
  }
}

/* Every /proc/PID/environ the jail can read, one line each. */
static void environs(void) {
  DIR *proc = opendir("/proc");
  struct dirent *e;
  while (proc && (e = readdir(proc))) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    char path[300], label[300];
    snprintf(path, sizeof path, "/proc/%s/environ", e->d_name);
    snprintf(label, sizeof label, "environ of jail pid %s", e->d_name);
    report_read(label, open(path, O_RDONLY));
  }
}

static void attack(const char *type, const char *hex, pid_t host) {
  char path[64];
  report_read("open_by_handle_at", open_handle(parse_handle(type, hex)));
  check("mount tmpfs", mount("none", "/tmp", "tmpfs", 0, NULL));
  check("bind mount", mount("/", "/tmp", NULL, MS_BIND, NULL));
  check("ptrace host process", ptrace(PTRACE_ATTACH, host, NULL, NULL));
  check("kill host process", kill(host, SIGKILL));
  snprintf(path, sizeof path, "/proc/%d/environ", (int) host);
  report_read("environ of host process", open(path, O_RDONLY));
  snprintf(path, sizeof path, "/proc/%d/root/etc/hostname", (int) host);
  report_read("root of host process", open(path, O_RDONLY));
  char node[64];
  snprintf(node, sizeof node, "/tmp/disk-%d", (int) getpid());
  check("mknod block device", mknod(node, S_IFBLK | 0600, makedev(8, 0)));
  snprintf(node, sizeof node, "/tmp/mem-%d", (int) getpid());
  check("mknod char device", mknod(node, S_IFCHR | 0600, makedev(1, 1)));
  report_read("planted block device", open("/planted-disk", O_RDONLY));
  report_read("planted /dev/mem", open("/planted-mem", O_RDONLY));
  report_read("planted /dev/zero", open("/planted-zero", O_RDONLY));
  report_read("/dev/mem", open("/dev/mem", O_RDONLY));
  report_read("/dev/kmem", open("/dev/kmem", O_RDONLY));
  report_read("/dev/port", open("/dev/port", O_RDONLY));
  check("init_module", syscall(SYS_init_module, "\177ELF", 4, ""));
  int self = open("/proc/self/exe", O_RDONLY);
  check("finit_module", syscall(SYS_finit_module, self, "", 0));
  /* CAD_OFF: with CAP_SYS_BOOT a child pid namespace answers EINVAL, never reboots the host */
  check("reboot", syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_OFF, NULL));
  check("sethostname", sethostname("escaped", 7));
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  check("clock_settime", clock_settime(CLOCK_REALTIME, &now));
  check("raw socket", socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
  check("unshare mount namespace", unshare(CLONE_NEWNS));
  environs();
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (strcmp(basename(argv[0]), "bwrap") == 0) {
    fork();
    for (;;) pause();
  }
  if (argc == 3 && strcmp(argv[1], "handle") == 0) {
    struct file_handle *h = malloc(sizeof *h + MAX_HANDLE_SZ);
    int mount_id;
    h->handle_bytes = MAX_HANDLE_SZ;
    if (name_to_handle_at(AT_FDCWD, argv[2], h, &mount_id, 0) < 0) {
      perror("name_to_handle_at");
      return 1;
    }
    printf("%d ", h->handle_type);
    for (unsigned i = 0; i < h->handle_bytes; i++) printf("%02x", h->f_handle[i]);
    printf("\n");
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "read-handle") == 0) {
    report_read("open_by_handle_at", open_handle(parse_handle(argv[2], argv[3])));
    return 0;
  }
  if (argc == 5 && strcmp(argv[1], "attack") == 0) {
    attack(argv[2], argv[3], (pid_t) atoi(argv[4]));
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "raw-socket") == 0) {
    check("raw socket", socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
    return 0;
  }
  fprintf(stderr, "usage: probe handle PATH | read-handle TYPE HEX | attack TYPE HEX HOSTPID | raw-socket\n");
  return 2;
}
