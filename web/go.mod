module github.com/ibutsu-go/ibutsu/web

go 1.26.0
