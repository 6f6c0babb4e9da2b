package io.carteiro.campaigns;

import io.carteiro.support.Visitors;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.carteiro.support.Visitors.api;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Issue 12.17: a template that renders without bound (a nested loop wrote 16 million characters, all held in memory
 * while the campaign was saved) is refused when it is saved, saying which limit it hit; nothing is stored.
 */
@QuarkusTest
class TemplateOutputCapTest {

    @Test
    void aTemplateWhoseTestRenderRunsPastTheCapIsRefusedWithTheReason() {
        long list = HeaderInjectionTest.list("Cap", null);
        String name = "Bomb " + Visitors.unique();
        Map<String, Object> bomb = HeaderInjectionTest.campaign(list, "Hi");
        bomb.put("name", name);
        bomb.put("html", "{#for i in 4000}{#for j in 4000}x{/for}{/for}<a href=\"{unsubscribeUrl}\">u</a>");
        api().contentType("application/json").body(bomb).post("/api/campaigns").then().statusCode(400)
                .body("part", equalTo("html"))
                .body("error", containsString("the loops run more than 10000 times in one message"));

        Map<String, Object> wide = HeaderInjectionTest.campaign(list, "Hi");
        wide.put("name", name);
        wide.put("text", "{#for i in 9000}" + "t".repeat(200) + "{/for}{unsubscribeUrl}");
        api().contentType("application/json").body(wide).post("/api/campaigns").then().statusCode(400)
                .body("part", equalTo("text"))
                .body("error", containsString("more than 1000000 characters"));

        api().get("/api/campaigns").then().statusCode(200).body("name", org.hamcrest.Matchers.not(
                org.hamcrest.Matchers.hasItem(name)));
    }
}
