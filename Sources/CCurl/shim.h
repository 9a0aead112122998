#ifndef LUTBUILD_CCURL_SHIM_H
#define LUTBUILD_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot
   call: one typed wrapper per kind of value lutbuild sets or reads. */

typedef size_t (*lutbuild_curl_data_callback)(char *buffer, size_t size, size_t count, void *context);
typedef int (*lutbuild_curl_progress_callback)(void *context, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

static inline CURLcode lutbuild_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode lutbuild_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode lutbuild_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode lutbuild_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode lutbuild_curl_set_data_callback(CURL *handle, CURLoption option, lutbuild_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode lutbuild_curl_set_progress_callback(CURL *handle, lutbuild_curl_progress_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

static inline CURLcode lutbuild_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline CURLcode lutbuild_curl_response_code(CURL *handle, long *code) {
    return curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, code);
}

#endif
