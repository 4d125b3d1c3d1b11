# InnoGraph server image.
#
#   docker build -t innograph .
#   docker run -p 8080:8080 -e NEO4J_URI=neo4j://HOST:7687 -e NEO4J_USER=neo4j \
#     -e NEO4J_PASSWORD=... innograph
#
# docker-compose.yml runs it together with Neo4j.

FROM golang:1.26 AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOOS=linux
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /out/innograph ./cmd/innograph

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin innograph
COPY --from=build /out/innograph /usr/local/bin/innograph
USER innograph
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/innograph"]
CMD ["serve", "--store", "neo4j", "--addr", ":8080"]
