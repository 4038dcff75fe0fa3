module zerokey.dev/zerokey

go 1.19
