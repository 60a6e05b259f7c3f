/* `mapgen slurm`: a sharded run submitted to Slurm (docs/scale.md): a job
 * array of K `mapgen run --shard $SLURM_ARRAY_TASK_ID/K` tasks and a
 * `mapgen merge` job that starts only when every task succeeded
 * (--dependency=afterok).  The work is sbatch's; this builds its command
 * lines. */
#define _DEFAULT_SOURCE /* realpath */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char slurm_usage[] =
    "Usage: mapgen slurm PROJECT.json --tasks K -o OUT [options]\n"
    "                    [RUN OPTIONS] [-- SBATCH OPTIONS]\n"
    "\n"
    "Submits the run of PROJECT.json to Slurm as a job array of K tasks,\n"
    "each `mapgen run --shard $SLURM_ARRAY_TASK_ID/K` into the shard\n"
    "folder, and a `mapgen merge` job into OUT that waits for every task\n"
    "to succeed (--dependency=afterok): a failed task means no merge.\n"
    "Prints the two job ids.  Every path must be on a file system all\n"
    "nodes share (docs/scale.md).\n"
    "\n"
    "Options:\n"
    "      --tasks K       the number of shards and array tasks, 1..100000\n"
    "  -o, --output DIR    where the merge writes the outputs (required)\n"
    "      --shards DIR    where the tasks write their shards and logs;\n"
    "                      default OUT.shards\n"
    "      --only-tasks L  resubmit only these tasks (sbatch --array\n"
    "                      syntax, e.g. 3 or 1,5) and a new merge after\n"
    "                      them: what finishes a run whose task failed\n"
    "      --dry-run       print the sbatch commands instead of running them\n"
    "  -h, --help          this text\n"
    "RUN OPTIONS are `mapgen run`'s (-z, --bbox, --tile-size, --png-level,\n"
    "--maps, --stores, -j), passed to every task as given; SBATCH OPTIONS\n"
    "go to both sbatch calls, e.g. -- --partition=batch --mem=2G\n"
    "--array's throttle: --only-tasks 0-99%%10 runs 10 at a time.\n"
    "\n"
    "Example:\n"
    "  mapgen slurm china.json --tasks 64 -o /shared/out -z 0-14 -j 4 \\\n"
    "      -- --cpus-per-task=4 --mem=3G --time=02:00:00\n";

typedef struct slurm_args {
    const char *project, *output, *shards, *only;
    long tasks;
    int dry_run;
    char **run;
    int n_run;
    char **sbatch;
    int n_sbatch;
} slurm_args;

/* Appends s to b (size cap) as one single-quoted shell word. */
static int quote(char *b, size_t cap, const char *s)
{
    size_t n = strlen(b);
    if (n + 3 >= cap)
        return -1;
    b[n++] = '\'';
    for (; *s; s++) {
        const char *piece = *s == '\'' ? "'\\''" : NULL;
        size_t len = piece ? 4 : 1;
        if (n + len + 2 >= cap)
            return -1;
        memcpy(b + n, piece ? piece : s, len);
        n += len;
    }
    b[n++] = '\'';
    b[n++] = ' ';
    b[n] = '\0';
    return 0;
}

/* Drops the space quote() left, so a glob follows the quoted word. */
static int unspace(char *b)
{
    size_t n = strlen(b);
    if (n && b[n - 1] == ' ')
        b[n - 1] = '\0';
    return 0;
}

static int append(char *b, size_t cap, const char *s)
{
    size_t n = strlen(b), m = strlen(s);
    if (n + m + 1 >= cap)
        return -1;
    memcpy(b + n, s, m + 1);
    return 0;
}

static int parse_args(int argc, char **argv, slurm_args *a)
{
    if (argc < 2 || argv[1][0] == '-')
        return -1;
    a->project = argv[1];
    a->run = calloc((size_t)argc, sizeof *a->run);
    if (!a->run)
        return -1;
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(s, "--")) {
            a->sbatch = argv + i + 1;
            a->n_sbatch = argc - i - 1;
            break;
        } else if (!strcmp(s, "--tasks") && more) {
            char *end;
            a->tasks = strtol(argv[++i], &end, 10);
            if (*end || a->tasks < 1 || a->tasks > 100000)
                return -1;
        } else if ((!strcmp(s, "-o") || !strcmp(s, "--output")) && more) {
            a->output = argv[++i];
        } else if (!strcmp(s, "--shards") && more) {
            a->shards = argv[++i];
        } else if (!strcmp(s, "--only-tasks") && more) {
            a->only = argv[++i];
        } else if (!strcmp(s, "--dry-run")) {
            a->dry_run = 1;
        } else {
            a->run[a->n_run++] = argv[i];
        }
    }
    return a->tasks >= 1 && a->output ? 0 : -1;
}

/* Runs sbatch with args; the job id it prints (--parsable) into id. */
static int sbatch(char **args, char *id, size_t cap)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    pid_t pid;
    int e = posix_spawnp(&pid, "sbatch", &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (e) {
        close(fd[0]);
        fprintf(stderr, "mapgen slurm: cannot run sbatch: %s (is Slurm's "
                        "client installed, Debian slurm-client?)\n",
                strerror(e));
        return -1;
    }
    ssize_t n = read(fd[0], id, cap - 1);
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    id[n > 0 ? n : 0] = '\0';
    id[strcspn(id, ";\n")] = '\0';
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !id[0]) {
        fprintf(stderr, "mapgen slurm: sbatch failed (its message is "
                        "above)\n");
        return -1;
    }
    return 0;
}

/* mkdir -p path. */
static int mkdir_p(const char *path)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s", path);
    for (char *c = p + 1; *c; c++) {
        if (*c != '/')
            continue;
        *c = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            return -1;
        *c = '/';
    }
    return mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

/* path made absolute (from the working directory); caller frees. */
static char *absolute(const char *path)
{
    char cwd[PATH_MAX];
    if (path[0] == '/')
        return strdup(path);
    if (!getcwd(cwd, sizeof cwd))
        return NULL;
    size_t n = strlen(cwd) + strlen(path) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", cwd, path);
    return p;
}

static void print_command(char **args)
{
    char line[16384] = "";
    for (int i = 0; args[i]; i++)
        if (quote(line, sizeof line, args[i]))
            break;
    printf("%s\n", line);
}

/* The --wrap texts of the tasks and of the merge. */
static int wraps(const slurm_args *a, const char *exe, const char *project,
                 const char *shards, const char *out, char *task,
                 char *merge, size_t cap)
{
    char k[32];
    snprintf(k, sizeof k, "%ld", a->tasks);
    int bad = append(task, cap, "exec ") || quote(task, cap, exe) ||
              append(task, cap, "run ") || quote(task, cap, project) ||
              append(task, cap, "--shard \"$SLURM_ARRAY_TASK_ID\"/") ||
              append(task, cap, k) || append(task, cap, " -o ") ||
              quote(task, cap, shards) ||
              append(task, cap, "--force --progress=plain ");
    for (int i = 0; !bad && i < a->n_run; i++)
        bad = quote(task, cap, a->run[i]);
    bad = bad || append(merge, cap, "exec ") || quote(merge, cap, exe) ||
          append(merge, cap, "merge ") || quote(merge, cap, shards) ||
          unspace(merge) || append(merge, cap, "/shard-*-of-") || append(merge, cap, k) ||
          append(merge, cap, ".mgshard -o ") || quote(merge, cap, out) ||
          append(merge, cap, "--force --progress=plain");
    return bad ? -1 : 0;
}

/* Submits (or prints) the array and the merge after it. */
static int submit(const slurm_args *a, const char *shards, const char *task,
                  const char *merge)
{
    char array[256], log[PATH_MAX + 32], mlog[PATH_MAX + 32], dep[160];
    char id[128] = "$SHARDS_JOB", mid[128] = "";
    if (a->only)
        snprintf(array, sizeof array, "--array=%s", a->only);
    else
        snprintf(array, sizeof array, "--array=0-%ld", a->tasks - 1);
    snprintf(log, sizeof log, "--output=%s/slurm-%%A_%%a.out", shards);
    snprintf(mlog, sizeof mlog, "--output=%s/slurm-merge-%%j.out", shards);
    char **args = calloc((size_t)a->n_sbatch + 8, sizeof *args);
    if (!args)
        return MG_ERR_NOMEM;
    for (int pass = 0; pass < 2; pass++) {
        int n = 0;
        args[n++] = "sbatch";
        args[n++] = "--parsable";
        args[n++] = pass ? "--job-name=mapgen-merge" : "--job-name=mapgen-shards";
        if (pass)
            snprintf(dep, sizeof dep, "--dependency=afterok:%s", id);
        args[n++] = pass ? dep : array;
        args[n++] = pass ? mlog : log;
        for (int i = 0; i < a->n_sbatch; i++)
            args[n++] = a->sbatch[i];
        args[n++] = "--wrap";
        args[n++] = (char *)(pass ? merge : task);
        args[n] = NULL;
        if (a->dry_run)
            print_command(args);
        else if (sbatch(args, pass ? mid : id, sizeof id)) {
            free(args);
            return MG_ERR_DEPENDENCY;
        }
    }
    free(args);
    if (!a->dry_run) {
        printf("shards %s\nmerge %s\n", id, mid);
        fprintf(stderr,
                "mapgen slurm: job array %s (%s) renders the shards into "
                "%s; job %s merges them once every task succeeded\n",
                id, array + 8, shards, mid);
    }
    return MG_OK;
}

int cli_slurm_command(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(slurm_usage, stdout);
        return 0;
    }
    slurm_args a = {0};
    if (parse_args(argc, argv, &a)) {
        free(a.run);
        fprintf(stderr, "mapgen slurm: expected PROJECT.json --tasks K -o "
                        "OUT\n\n%s", slurm_usage);
        return MG_ERR_USAGE;
    }
    char *exe = realpath("/proc/self/exe", NULL);
    char *project = realpath(a.project, NULL);
    char *out = absolute(a.output);
    char *shards = NULL;
    if (out) {
        size_t n = strlen(out) + 16;
        shards = a.shards ? absolute(a.shards) : malloc(n);
        if (shards && !a.shards)
            snprintf(shards, n, "%s.shards", out);
    }
    static char task[32768], merge[8192];
    task[0] = merge[0] = '\0';
    int rc = MG_OK;
    if (!project) {
        fprintf(stderr, "mapgen slurm: %s: %s\n", a.project, strerror(errno));
        rc = MG_ERR_PROJECT;
    } else if (!exe || !out || !shards) {
        rc = MG_ERR_NOMEM;
    } else if (wraps(&a, exe, project, shards, out, task, merge,
                     sizeof merge)) {
        fprintf(stderr, "mapgen slurm: the command lines are too long\n");
        rc = MG_ERR_USAGE;
    } else if (!a.dry_run && mkdir_p(shards) != 0) {
        fprintf(stderr, "mapgen slurm: %s: cannot make the folder: %s\n",
                shards, strerror(errno));
        rc = MG_ERR_OUTPUT;
    } else {
        rc = submit(&a, shards, task, merge);
    }
    free(exe);
    free(project);
    free(out);
    free(shards);
    free(a.run);
    return mg_exit_code(rc);
}
