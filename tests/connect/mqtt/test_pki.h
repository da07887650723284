// Certificates for the TLS tests, made with the openssl command line in a temporary directory
// (never committed): a CA, a broker certificate for 127.0.0.1 and a client certificate that it
// signed, and a second CA that signed nothing of the broker's.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace zhizao::connect::mqtt {

struct TestPki {
  std::string dir;
  std::string ca_file, other_ca_file;
  std::string server_cert, server_key;
  std::string client_cert, client_key;
  std::string error;  // empty when every file was made

  // Makes the files in `dir` (created). EC P-256 keys: quick to make.
  static TestPki Make(const std::string& dir) {
    TestPki pki;
    pki.dir = dir;
    std::filesystem::create_directories(dir);
    auto file = [&](const std::string& name) { return dir + "/" + name; };
    pki.ca_file = file("ca.pem");
    pki.other_ca_file = file("other-ca.pem");
    pki.server_cert = file("server.pem");
    pki.server_key = file("server.key");
    pki.client_cert = file("client.pem");
    pki.client_key = file("client.key");
    std::ofstream(file("server.ext")) << "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n";
    std::ofstream(file("client.ext")) << "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n";
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string script =
        "set -e; cd '" + dir + "'\n" +
        "openssl req -x509" + key + " -keyout ca.key -out ca.pem -days 2 -subj '/CN=zhizao test CA'\n" +
        "openssl req -x509" + key + " -keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=another CA'\n" +
        "openssl req" + key + " -keyout server.key -out server.csr -subj '/CN=127.0.0.1'\n" +
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext"
        " -out server.pem\n" +
        "openssl req" + key + " -keyout client.key -out client.csr -subj '/CN=zhizao-client'\n" +
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile client.ext"
        " -out client.pem\n" +
        // mosquitto, started as root, reads its files as user mosquitto.
        "chmod 0644 *.key *.pem\n";
    std::ofstream(file("make.sh")) << script;
    if (std::system(("sh '" + file("make.sh") + "' > '" + file("make.log") + "' 2>&1").c_str()) != 0) {
      std::ifstream log(file("make.log"));
      pki.error = "openssl could not make the test certificates: " +
                  std::string(std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>());
    }
    return pki;
  }
};

}  // namespace zhizao::connect::mqtt
