exports.hello = (req, res) => res.send("hello");
