package auth

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Middleware tells who each request comes from and puts the Principal in
// its context. A request with an "Authorization: Bearer <key>" header of
// a key in ks is that key's; with any other Authorization header it is
// refused (401). A request without the header is anonymous, and refused
// (401) when requireForReads is set: then every request needs a key.
func Middleware(ks *Keys, requireForReads bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			if requireForReads {
				refuse(w, "this server needs an API key for every request: send it as \"Authorization: Bearer <key>\"")
				return
			}
			next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), Principal{})))
			return
		}
		scheme, key, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			refuse(w, "the Authorization header must be \"Bearer <key>\"")
			return
		}
		k, ok := ks.Lookup(strings.TrimSpace(key))
		if !ok {
			refuse(w, "unknown API key")
			return
		}
		next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), Principal{Name: k.Name, Role: k.Role})))
	})
}

// refuse answers 401 with a GraphQL-shaped error body.
func refuse(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("WWW-Authenticate", `Bearer realm="innograph"`)
	w.WriteHeader(http.StatusUnauthorized)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{
		"message": msg, "extensions": map[string]any{"code": CodeUnauthenticated},
	}}})
}
