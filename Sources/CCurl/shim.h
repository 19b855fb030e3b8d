#ifndef SDTRACK_CCURL_SHIM_H
#define SDTRACK_CCURL_SHIM_H

// libcurl (the OpenSSL flavour, libcurl4), loaded at run time. Only SDHTTP/Curl/ calls these.
//
// <curl/curl.h> (libcurl4-openssl-dev) gives the types and constants only: sdtrack does not
// link libcurl, because a linked library is loaded before main() by every command, and `sdtrack
// run` or `query` would start about 3 ms slower for a library only `sdtrack sync` uses. Instead
// ccurl_load opens libcurl.so.4 with dlopen and fills a table of its functions with dlsym.
//
// The table is the caller's (SDHTTP keeps one for the process): a system-library module is a
// header only, and a static variable in a header would be one copy per Swift file that calls it.
//
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: the typed
// wrappers below pass each kind of argument (long, pointer, curl_off_t, callback) as libcurl
// reads it for that option.
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>

// The libcurl functions sdtrack uses, as dlsym found them in libcurl.so.4.
typedef struct ccurl_api {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *handle);
    void (*easy_reset)(CURL *handle);
    CURLcode (*easy_perform)(CURL *handle);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
    void (*slist_free_all)(struct curl_slist *list);
} ccurl_api;

// Opens libcurl.so.4 (RTLD_NOW: every symbol resolved now, not on a later call; RTLD_LOCAL: its
// symbols stay out of the global namespace) and fills `api`. Returns 1, or 0 with one line in
// `error`. The library is never closed: it stays loaded for the life of the process.
static inline int ccurl_load(ccurl_api *api, char *error, size_t error_size) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(error, error_size, "%s", reason != NULL ? reason : "dlopen failed");
        return 0;
    }
#define CCURL_SYMBOL(field, name)                                             \
    api->field = (__typeof__(api->field))dlsym(library, name);                \
    if (api->field == NULL) {                                                 \
        snprintf(error, error_size, "libcurl.so.4 has no function %s", name); \
        return 0;                                                             \
    }
    CCURL_SYMBOL(global_init, "curl_global_init")
    CCURL_SYMBOL(easy_init, "curl_easy_init")
    CCURL_SYMBOL(easy_cleanup, "curl_easy_cleanup")
    CCURL_SYMBOL(easy_reset, "curl_easy_reset")
    CCURL_SYMBOL(easy_perform, "curl_easy_perform")
    CCURL_SYMBOL(easy_setopt, "curl_easy_setopt")
    CCURL_SYMBOL(easy_getinfo, "curl_easy_getinfo")
    CCURL_SYMBOL(easy_strerror, "curl_easy_strerror")
    CCURL_SYMBOL(slist_append, "curl_slist_append")
    CCURL_SYMBOL(slist_free_all, "curl_slist_free_all")
#undef CCURL_SYMBOL
    return 1;
}

// curl_global_init with CURL_GLOBAL_DEFAULT (OpenSSL's initialisation), a macro Swift cannot see.
static inline CURLcode ccurl_global_init(const ccurl_api *api) {
    return api->global_init(CURL_GLOBAL_DEFAULT);
}

static inline CURL *ccurl_easy_init(const ccurl_api *api) { return api->easy_init(); }

static inline void ccurl_easy_cleanup(const ccurl_api *api, CURL *handle) { api->easy_cleanup(handle); }

// Clears every option, but keeps the handle's open connections (keep-alive) and caches.
static inline void ccurl_easy_reset(const ccurl_api *api, CURL *handle) { api->easy_reset(handle); }

static inline CURLcode ccurl_easy_perform(const ccurl_api *api, CURL *handle) { return api->easy_perform(handle); }

static inline const char *ccurl_easy_strerror(const ccurl_api *api, CURLcode code) {
    return api->easy_strerror(code);
}

// Options of type long (CURLOPTTYPE_LONG).
static inline CURLcode ccurl_setopt_long(const ccurl_api *api, CURL *handle, CURLoption option, long value) {
    return api->easy_setopt(handle, option, value);
}

// Options of type pointer: strings (copied by libcurl, but for CURLOPT_POSTFIELDS), buffers,
// lists and callback data.
static inline CURLcode ccurl_setopt_pointer(const ccurl_api *api, CURL *handle, CURLoption option,
                                            const void *value) {
    return api->easy_setopt(handle, option, value);
}

// Options of type curl_off_t (the *_LARGE options).
static inline CURLcode ccurl_setopt_offset(const ccurl_api *api, CURL *handle, CURLoption option,
                                           curl_off_t value) {
    return api->easy_setopt(handle, option, value);
}

// CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
static inline CURLcode ccurl_setopt_write_callback(const ccurl_api *api, CURL *handle, CURLoption option,
                                                   curl_write_callback callback) {
    return api->easy_setopt(handle, option, callback);
}

// CURLOPT_XFERINFOFUNCTION.
static inline CURLcode ccurl_setopt_xferinfo_callback(const ccurl_api *api, CURL *handle,
                                                      curl_xferinfo_callback callback) {
    return api->easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode ccurl_getinfo_long(const ccurl_api *api, CURL *handle, CURLINFO info, long *value) {
    return api->easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_double(const ccurl_api *api, CURL *handle, CURLINFO info, double *value) {
    return api->easy_getinfo(handle, info, value);
}

// A copy of `text` appended; NULL when out of memory.
static inline struct curl_slist *ccurl_slist_append(const ccurl_api *api, struct curl_slist *list,
                                                    const char *text) {
    return api->slist_append(list, text);
}

static inline void ccurl_slist_free_all(const ccurl_api *api, struct curl_slist *list) {
    api->slist_free_all(list);
}

#endif
